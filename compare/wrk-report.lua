-- wrk -s compare/wrk-report.lua ...: after wrk's own summary, one line "wrk-json {...}" with
-- what compare/run keeps of the run (ResultsReport reads it like a load-generator result).
-- wrk keeps C connections busy, each sending again as soon as it is answered: a closed loop,
-- the same load as `LoadGenerator closed`, which is why the two are held against each other.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local failed = e.connect + e.read + e.write + e.timeout
  local ms = function(p) return latency:percentile(p) / 1000 end
  io.write(string.format(
    'wrk-json {"mode":"wrk","achievedRate":%.1f,"durationS":%.3f,' ..
    '"requests":{"answered":%d,"errors":%d},' ..
    '"latency":{"p50":%.3f,"p90":%.3f,"p99":%.3f,"max":%.3f,"mean":%.3f,"count":%d},' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"non2xx":%d}}\n',
    summary.requests / seconds, seconds, summary.requests, failed + e.status,
    ms(50), ms(90), ms(99), latency.max / 1000, latency.mean / 1000, summary.requests,
    e.connect, e.read, e.write, e.timeout, e.status))
end
