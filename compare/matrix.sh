# The cases compare/run measures. Each line: run_case <id> <group> <label> <target> <generator args>,
# or run_cross_check (see compare/run); {base} is replaced by the target's base URL. Sourced by compare/run.

# A queue-bound case warms up on one batch (warmup_n = the pool, the permits, the tokens or the
# carriers): its code paths and threads are the same, and the whole burst would only wait in line
# again. The same in the full matrix.
quick_matrix() {
  run_case sleep-virtual-100   "sleep N=100, 1 s" "virtual"            showcase burst --url '{base}/sleep/virtual?ms=1000' -n 100
  warmup_n=10 run_case sleep-platform-40 "sleep N=40, 1 s" "platform (pool 10)" showcase burst --url '{base}/sleep/platform?ms=1000' -n 40
  warmup_n=10 run_case sleep-limited-40 "sleep N=40, 1 s" "limited (10 permits)" showcase burst --url '{base}/sleep/limited?ms=1000' -n 40
  run_case sleep-virtual-40    "sleep N=40, 1 s"  "virtual"            showcase burst --url '{base}/sleep/virtual?ms=1000' -n 40
  run_case sleep-async-100     "sleep N=100, 1 s" "async def"          fastapi  burst --url '{base}/sleep/async?ms=1000' -n 100
  warmup_n=2 run_case pinned-native-8 "pinning N=8, 1 s" "pinned-native" showcase burst --url '{base}/sleep/pinned-native?ms=1000' -n 8
  run_case cpu-virtual-4       "cpu N=4"          "virtual"            showcase burst --url '{base}/cpu/virtual' -n 4
  run_case cpu-platform-4      "cpu N=4"          "platform"           showcase burst --url '{base}/cpu/platform' -n 4
  timers_matrix
  trivial_throughput 2 1 no-sweep
}

# Timers starve too: the side probe asks /cpu/timer?ms=300 (a 300 ms sleep that reports how late
# it woke) every 50 ms, one at a time, while 4 loops of about 0.6 s run on /cpu/virtual (they
# hold both carriers) and then on /cpu/platform (the OS time-slices them). The probe's latency
# is the 300 ms plus the overrun; read its max and p99 (its p50 is not meaningful here: the
# correction for skipped probes adds values below 300 ms).
timers_matrix() {
  local style
  for style in virtual platform; do
    warmup_n=2 probe='/cpu/timer?ms=300' run_case "timer-beside-cpu-$style-4" "a 300 ms timer beside cpu N=4 × 2·10^9" \
      "$style loops" showcase burst --url "{base}/cpu/$style?n=2000000000" -n 4
  done
}

# The build's own check (loadgen's CompareRunIT): a few seconds, ratios that cannot be noise.
tiny_matrix() {
  run_case sleep-platform-40 "sleep N=40, 200 ms" "platform (pool 10)" showcase burst --url '{base}/sleep/platform?ms=200' -n 40
  run_case sleep-limited-40  "sleep N=40, 200 ms" "limited (10 permits)" showcase burst --url '{base}/sleep/limited?ms=200' -n 40
  run_case sleep-virtual-40  "sleep N=40, 200 ms" "virtual"            showcase burst --url '{base}/sleep/virtual?ms=200' -n 40
  run_case trivial-closed-showcase "trivial, closed loop, 8 connections 1 s" "whoami" showcase closed --url '{base}/whoami' -c 8 --duration-s 1
}

# The trivial endpoint's most requests per second, both ways a reader would measure it: our
# closed loop next to wrk's (same connections, same seconds: the cross-check), and the highest
# open-loop rate whose p99 stays under 50 ms. $1: seconds per closed loop and per sweep step;
# $2: seconds of warm-up in the generator's JVM; $3: no-sweep for the closed loops only, or
# sweep-once for one sweep per target (the full matrix: the sweeps took 4 of its 37 minutes on
# 2026-12-01, and they only cross-check the closed loops).
trivial_throughput() {
  local s=$1 w=$2 group="trivial, closed loop, 32 connections"
  run_cross_check trivial-closed-showcase trivial-wrk-showcase "$group" "whoami"  showcase /whoami  32 "$s" "$w"
  run_cross_check trivial-closed-fastapi  trivial-wrk-fastapi  "$group" "trivial" fastapi  /trivial 32 "$s" "$w"
  # The best FastAPI this machine's packages allow: two workers (one per core), uvloop + httptools.
  run_cross_check trivial-closed-fastapi-best trivial-wrk-fastapi-best "$group" "trivial (2 workers, uvloop + httptools)" \
    fastapi-best /trivial 32 "$s" "$w"
  [ "${3:-}" != no-sweep ] || return 0
  [ "${3:-}" != sweep-once ] || local repeats=1
  group="trivial, highest open-loop rate with p99 ≤ 50 ms"
  run_case trivial-sweep-showcase "$group" "whoami" showcase sweep --url '{base}/whoami' \
    --rates 5000,10000,15000,20000 --duration-s "$s" --p99-bound-ms 50 --warmup-s "$w"
  run_case trivial-sweep-fastapi  "$group" "trivial" fastapi sweep --url '{base}/trivial' \
    --rates 1000,2000,3000,4000,5000,6000 --duration-s "$s" --p99-bound-ms 50 --warmup-s "$w"
  run_case trivial-sweep-fastapi-best "$group" "trivial (2 workers, uvloop + httptools)" fastapi-best sweep --url '{base}/trivial' \
    --rates 2500,5000,7500,10000,12500,15000,20000 --duration-s "$s" --p99-bound-ms 50 --warmup-s "$w"
}

full_matrix() {
  # The largest bursts warm up three times: measured on this 2-core machine, a fresh showcase
  # answers 10,000 sleeps in 2.7-3.0 s on its first burst and 1.8-1.9 s by its fifth (the JIT
  # compiling the paths a burst that large takes), the same for the build before this change.
  local w
  for n in 100 1000 10000; do
    w=1; [ "$n" -lt 10000 ] || w=3
    warmups=$w run_case "sleep-virtual-$n"  "sleep N=$n, 1 s" "virtual"   showcase burst --url '{base}/sleep/virtual?ms=1000' -n "$n"
    warmups=$w run_case "sleep-reactive-$n" "sleep N=$n, 1 s" "reactive"  showcase burst --url '{base}/sleep/reactive?ms=1000' -n "$n"
  done
  for n in 1000 5000; do
    w=1; [ "$n" -lt 5000 ] || w=3
    warmups=$w run_case "sleep-async-$n" "sleep N=$n, 1 s" "async def" fastapi burst --url '{base}/sleep/async?ms=1000' -n "$n"
  done
  warmup_n=10 run_case sleep-platform-100 "sleep N=100, 1 s" "platform (pool 10)" showcase burst --url '{base}/sleep/platform?ms=1000' -n 100
  # The same cap without the pool: 10 permits of Helidon's FixedLimit, on virtual threads.
  warmup_n=10 run_case sleep-limited-100 "sleep N=100, 1 s" "limited (10 permits)" showcase burst --url '{base}/sleep/limited?ms=1000' -n 100
  warmup_n=40 run_case sleep-sync-100 "sleep N=100, 1 s" "def (40-token pool)" fastapi  burst --url '{base}/sleep/sync?ms=1000' -n 100
  warmup_n=2 run_case sleep-blocked-10 "sleep N=10, 1 s" "eventloop-blocked" showcase burst --url '{base}/sleep/eventloop-blocked?ms=1000' -n 10
  warmup_n=2 run_case sleep-blocking-10 "sleep N=10, 1 s" "time.sleep in async def" fastapi burst --url '{base}/sleep/blocking?ms=1000' -n 10
  for style in pinned-sync pinned-native virtual; do
    warmup_n=2 run_case "pinning-$style-8" "pinning N=8, 1 s" "$style" showcase burst --url "{base}/sleep/$style?ms=1000" -n 8
  done
  for style in virtual reactive; do
    run_case "http-$style-1000" "http N=1000, 1 s" "$style" showcase burst --url "{base}/http/$style?ms=1000" -n 1000
  done
  # The pool of 10 would take 100 s per run at N=1000: it gets its own, smaller group.
  warmup_n=10 run_case http-platform-100 "http N=100, 1 s" "platform (pool 10)" showcase burst --url '{base}/http/platform?ms=1000' -n 100
  run_case http-virtual-100  "http N=100, 1 s" "virtual"            showcase burst --url '{base}/http/virtual?ms=1000' -n 100
  warmup_n=40 run_case http-sync-100 "http N=100, 1 s" "def + httpx (40 tokens)" fastapi burst --url '{base}/http/sync?ms=1000' -n 100
  run_case http-async-1000 "http N=1000, 1 s" "httpx async" fastapi burst --url '{base}/http/async?ms=1000' -n 1000
  for style in sequential structured futures platform; do
    # platform holds a pool thread for each call: 100 requests × 5 calls on 10 threads, 10 s.
    w=; [ "$style" != platform ] || w=10
    warmup_n=$w run_case "fanout-$style-100" "fanout N=100, 5 calls × 200 ms" "$style" showcase burst --url "{base}/fanout/$style?calls=5&ms=200" -n 100
  done
  run_case fanout-async-100 "fanout N=100, 5 calls × 200 ms" "asyncio.gather" fastapi burst --url '{base}/fanout/async?calls=5&ms=200' -n 100
  for style in virtual platform reactive; do
    run_case "db-$style-100" "db N=100, 100 ms, pool 10" "$style" showcase burst --url "{base}/db/$style?ms=100" -n 100
  done
  run_case db-async-100 "db N=100, 100 ms, pool 10" "async def" fastapi burst --url '{base}/db/async?ms=100' -n 100
  run_case db-sync-100  "db N=100, 100 ms, pool 10" "def"       fastapi burst --url '{base}/db/sync?ms=100' -n 100
  for style in virtual yielding platform parallel; do
    run_case "cpu-$style-20" "cpu N=20" "$style" showcase burst --url "{base}/cpu/$style" -n 20
  done
  run_case cpu-async-20 "cpu N=20" "async def" fastapi burst --url '{base}/cpu/async' -n 20
  run_case cpu-sync-20  "cpu N=20" "def"       fastapi burst --url '{base}/cpu/sync' -n 20
  timers_matrix
  coldstart_matrix
  ceiling_matrix
  threads_matrix no-wake
  trivial_throughput 5 5 sweep-once
  per_request_cpu 5 2
  observing_cost 5 2
}

# The machine's connection ceiling: a process may hold 20,000 open files here (ulimit -n, the hard
# limit). Over HTTP/1.1 a burst holds a connection, so a file in each process, per request: 15,000
# one-second sleeps is about as many as fit. Over h2c (prior knowledge) 100,000 go as streams of
# 250 connections, each request on a virtual thread of its own at the server. A showcase of its own,
# on other ports: its connection bound raised to hold the HTTP/1.1 burst, and the upstream bounds
# lowered so that web/OpenFileBudget's sum still fits the limit (15,500 + 500 + 2 × 250 + 2,000 spare
# = 18,500 ≤ 20,000): neither case calls the upstream. Its idle timeout is a minute, not 10 s: the
# first of 15,000 connections opened before t0 waits for the last, and on a busy machine that took
# longer than 10 s (the server closed them as idle). About a minute.
ceiling_matrix() {
  local group="connection ceiling: 1 s sleeps, this machine's 20,000-file limit"
  # Each case gets a fresh showcase and a warm-up a tenth its size, so that the server's RSS growth
  # (the RSS per request in flight) is the measured burst's, not taken up already by a warm-up as large.
  ceiling_showcase || return 0
  warmup_n=1500 run_case ceiling-http1-15000 "$group" "HTTP/1.1, a connection each" ceiling \
    burst --url '{base}/sleep/virtual?ms=1000' -n 15000
  kill "$ceiling_pid"; wait "$ceiling_pid" 2>/dev/null || true
  ceiling_showcase || return 0
  warmup_n=10000 run_case ceiling-h2c-100000 "$group" "h2c, streams of 250 connections" ceiling \
    burst --http2 --connections 250 --url '{base}/sleep/virtual?ms=1000' -n 100000
  kill "$ceiling_pid"; wait "$ceiling_pid" 2>/dev/null || true
}

# Starts the connection ceiling's showcase: sets ceiling_port and ceiling_pid (each start on ports
# of its own, away from the last one's closing sockets).
ceiling_showcase() {
  ceiling_starts=$(( ${ceiling_starts:-0} + 1 ))
  ceiling_port=$((main_port + 200 + ceiling_starts))
  # CEILING_HEAP (default 2g, as every showcase of the run): with 100,000 streams in flight the
  # showcase's RSS reached 2.1-2.3 GB at 2g (run 2026-12-01); compare/README.md has a run at 6g.
  local log="$out/ceiling-$ceiling_starts.log"
  launch_showcase "$ceiling_port" $((upstream_port + 200 + ceiling_starts)) "$log" -Xmx"${CEILING_HEAP:-2g}" \
    -Dserver.max-tcp-connections=15500 -Dupstream.socket.max-tcp-connections=500 -Dupstream.max-in-flight=250 \
    -Dserver.idle-connection-timeout=PT60S
  ceiling_pid=$launched_pid
  pids+=("$ceiling_pid")
  wait_for "$ceiling_port" 60 "$ceiling_pid" || { tail -20 "$log" >&2; return 1; }
}

# Cold start, with and without the JDK's AOT cache (JEP 483/514/515; .mvn/aot.sh trains it once
# per build): a showcase of its own on other ports, launched $repeats times each way. A run
# records the time from launch to the first answer of GET /whoami, then the makespans of five
# bursts of 10,000 one-second sleeps, one after another (the first against the fifth: how much
# of the JIT's warming the cache saves). About 70 s.
coldstart_matrix() {
  source .mvn/aot.sh
  local with
  for with in aot none; do
    [ "$with" = none ] || [ ${#aot_options[@]} -gt 0 ] || { echo "cold start with the AOT cache skipped: no cache" >&2; continue; }
    register "coldstart-$with" "cold start: first answer, then 5 bursts of 10,000 sleeps of 1 s" \
      "$([ "$with" = aot ] && echo "with the AOT cache" || echo "without")" showcase
    for i in $(seq 1 "$repeats"); do
      cold_start_run "$with" > "$out/runs/coldstart-$with/$i.json" || rm -f "$out/runs/coldstart-$with/$i.json"
    done
  done
}

# One launch: prints its JSON run. $1: aot or none.
cold_start_run() {
  local port=$((main_port + 100)) up=$((upstream_port + 100)) cache=() started answered pid bursts=() makespan
  [ "$1" = none ] || cache=("${aot_options[@]}")
  started=$(date +%s%N)
  launch_showcase "$port" "$up" "$out/coldstart.log" ${cache[@]+"${cache[@]}"} -Dapp.pinning-monitor.enabled=false
  pid=$launched_pid
  until first_answer "$port"; do
    kill -0 "$pid" 2>/dev/null || { echo "the cold-start showcase ended: $(tail -3 "$out/coldstart.log")" >&2; return 1; }
    (( $(date +%s%N) - started < 60000000000 )) || { kill "$pid"; echo "no first answer within 60 s" >&2; return 1; }
    sleep 0.005
  done
  answered=$(date +%s%N)
  local result failed errors=0
  for _ in 1 2 3 4 5; do
    result=$(gen burst --url "http://127.0.0.1:$port/sleep/virtual?ms=1000" -n 10000 --no-probe --no-observe --json - 2>/dev/null)
    makespan=$(grep -o '"makespanMs": *[0-9.]*' <<< "$result" | head -1 | grep -o '[0-9.]*$')
    # A burst with failed requests is not a makespan of 10,000 answers: it counts as an error.
    failed=$(grep -o '"errors": *[0-9]\+' <<< "$result" | head -1 | grep -o '[0-9]\+$')  # requests.errors
    [ -n "$makespan" ] && [ "${failed:-0}" -eq 0 ] 2>/dev/null || { makespan=null; errors=$((errors + 1)); }
    bursts+=("$makespan")
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "  $1: first answer $(( (answered - started) / 1000000 )) ms, bursts ${bursts[*]} ms" >&2
  printf '{"mode":"coldstart","label":"coldstart-%s","firstAnswerMs":%d,"burstMakespansMs":[%s],"firstBurstMs":%s,"fifthBurstMs":%s,"errors":{%s}}\n' \
    "$1" $(( (answered - started) / 1000000 )) "$(IFS=,; echo "${bursts[*]}")" "${bursts[0]}" "${bursts[4]}" \
    "$([ "$errors" -eq 0 ] || echo "\"bursts with failed requests\":$errors")"
}

# launch_showcase <port> <upstream port> <log> [java options...]: a showcase of its own, in the
# background, with compare/run's flags but its own ports; its pid in $launched_pid. The options
# come last, so that one of them (an -Xmx, a -D) takes the place of the default.
launch_showcase() {
  local port=$1 up=$2 log=$3
  shift 3
  "$JAVA_HOME/bin/java" --enable-preview --enable-native-access=ALL-UNNAMED -Xmx2g \
    -Dserver.port="$port" -Dupstream.port="$up" -Dapp.database.in-memory=true "$@" -jar "$jar" > "$log" 2>&1 &
  launched_pid=$!
}

# The server's CPU per answered request at fixed open-loop rates (HttpArena's measure), on the
# trivial route: the showcase, the tutorials' FastAPI and the best one (each skipped while its
# peer is not running). The same load runs unmeasured first in the generator's own JVM, and there
# is no side probe: its requests would be server CPU with no answer counted. A peer that cannot
# keep up with a rate shows timeouts beside its figure. $1: seconds per run; $2: of warm-up.
per_request_cpu() {
  local s=$1 w=$2 rate group args peer
  # First each server's JIT (and caches) warm: thousands of requests a second for a few seconds
  # leave a JVM still compiling, and the compiler's CPU would count as the requests'.
  warm_up showcase /whoami
  for peer in fastapi fastapi-best; do
    if is_peer "$peer"; then warm_up "$peer" /trivial; fi
  done
  for rate in 2000 5000; do
    group="server CPU per request, open loop ${rate%000},000/s"
    args=(--rate "$rate" --duration-s "$s" --warmup-s "$w" --no-probe --timeout-s 10)
    run_case "reqcpu-$rate-showcase"     "$group" "whoami"  showcase     open --url '{base}/whoami'  "${args[@]}"
    if is_peer fastapi; then
      run_case "reqcpu-$rate-fastapi" "$group" "trivial, the tutorials' FastAPI" fastapi open --url '{base}/trivial' "${args[@]}"
    fi
    if is_peer fastapi-best; then
      run_case "reqcpu-$rate-fastapi-best" "$group" "trivial, the best FastAPI" fastapi-best open --url '{base}/trivial' "${args[@]}"
    fi
  done
}

# warm_up <target> <path>: unmeasured, a closed loop of 5 s (32 connections), then an open loop of
# 10 s at 2,000/s: a showcase warmed by the closed loop alone still spent 1.2 s of C2 compiling in its
# first open loop (other paths: carriers parking and waking between requests), and after 5 s of
# the open loop too, its first measured run still cost 3-4× the next two, C2 compiling again: the
# measured runs' first GET /observe/scheduler and /observe/pinning (ServerStats, outside the CPU
# window) load classes that make the JIT throw away and redo its hot code, so the warm-up asks them too.
warm_up() {
  local base pid_args=()
  target "$1" || return 0
  gen closed --url "$base$2" -c 32 --duration-s 5 --no-probe "${pid_args[@]}" > /dev/null || true
  gen open --url "$base$2" --rate 2000 --duration-s 10 --timeout-s 10 --no-probe "${pid_args[@]}" > /dev/null || true
}

# Whether something listens on 127.0.0.1:$1 already (another program's server would be measured instead).
port_taken() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Whether compare/run's target() knows the peer $1 and it runs (an unknown name would be taken for the showcase).
is_peer() {
  local base pid_args=()
  target "$1" && [ "$base" != "http://127.0.0.1:$main_port" ]
}

# What observing costs: the trivial route's closed loop (32 connections, as trivial_throughput)
# on two showcases of their own, launched alike on other ports, one with every observer that
# works per request off: the pinning monitor's JFR stream (it also streams each virtual thread's
# start, one per request), Helidon's virtual-thread meters (a JFR stream of their own) and its
# metrics filter (a counter and timing on every request). They take turns, on then off, then
# off then on, so that neither is measured on the warmer machine. $1: seconds per run; $2: of warm-up.
observing_cost() {
  local s=$1 w=$2 group="observers: trivial, closed loop, 32 connections" base pid_args=() which i port
  local -A ports=([on]=$((main_port + 200)) [off]=$((main_port + 300))) pid_of=()
  for port in "${ports[on]}" $((upstream_port + 200)) "${ports[off]}" $((upstream_port + 300)); do
    if port_taken "$port"; then
      echo "what observing costs skipped: 127.0.0.1:$port is taken (choose other ports with COMPARE_PORT=...)" >&2
      return 0
    fi
  done
  launch_showcase "${ports[on]}" $((upstream_port + 200)) "$out/observe-on.log"
  pid_of[on]=$launched_pid
  launch_showcase "${ports[off]}" $((upstream_port + 300)) "$out/observe-off.log" "${observers_off[@]}"
  pid_of[off]=$launched_pid
  pids+=("${pid_of[on]}" "${pid_of[off]}")
  if wait_for "${ports[on]}" 60 "${pid_of[on]}" && wait_for "${ports[off]}" 60 "${pid_of[off]}"; then
    register observe-on  "$group" "on (the default)" showcase
    register observe-off "$group" "off: pinning monitor, virtual-thread meters, metrics" showcase
    # A first, unmeasured run each, /observe asked once (see warm_up): 8 s, since after 4 s both
    # showcases still spent 2 s of C2 compiling in their first measured run.
    for which in on off; do
      base="http://127.0.0.1:${ports[$which]}"
      gen closed --url "$base/whoami" -c 32 --duration-s 8 --no-probe --server-pid "${pid_of[$which]}" --observe-base "$base" \
        > /dev/null || true
    done
    in_turns observe closed --url '{base}/whoami' -c 32 --duration-s "$s" --warmup-s "$w"
    # The same two showcases under the cases where every request or thread is a JFR event: a
    # burst of 10,000 sleeps (each request a virtual thread) and a million sleeping threads
    # (/threads/virtual, once each: a run is 10-45 s), taking turns as above.
    register observe-burst-on  "observers: burst of 10,000 sleeps of 1 s" "on (the default)" showcase
    register observe-burst-off "observers: burst of 10,000 sleeps of 1 s" "off" showcase
    register observe-threads-on  "observers: /threads/virtual N=1,000,000, 1 s" "on (the default)" showcase
    register observe-threads-off "observers: /threads/virtual N=1,000,000, 1 s" "off" showcase
    for which in on off; do
      gen burst --url "http://127.0.0.1:${ports[$which]}/sleep/virtual?ms=1000" -n 10000 --no-probe > /dev/null || true
    done
    in_turns observe-burst burst --url '{base}/sleep/virtual?ms=1000' -n 10000
    for which in on off; do
      base="http://127.0.0.1:${ports[$which]}"
      gen once --url "$base/threads/virtual?n=1000000&ms=1000" --timeout-s 120 --label "observe-threads-$which" \
        --json "$out/runs/observe-threads-$which/1.json" | grep "^  answer" >&2 || true
    done
  fi
  kill "${pid_of[on]}" "${pid_of[off]}" 2>/dev/null || true
  wait "${pid_of[on]}" "${pid_of[off]}" 2>/dev/null || true
}
# in_turns <case prefix> <generator arguments...>: observing_cost's repeats on its two showcases
# (its ports and pid_of), on then off, then off then on; {base} is each one's URL.
in_turns() {
  local prefix=$1 i which
  shift
  for i in $(seq 1 "$repeats"); do
    for which in $( (( i % 2 )) && echo on off || echo off on); do
      base="http://127.0.0.1:${ports[$which]}"
      pid_args=(--server-pid "${pid_of[$which]}" --observe-base "$base")
      generate "$prefix-$which" "$i" "${@//\{base\}/$base}"
    done
  done
}

# The keys that turn them off (application.yaml).
observers_off=(-Dapp.pinning-monitor.enabled=false
  -Dserver.features.observe.observers.metrics.virtual-threads.enabled=false
  -Dserver.features.observe.observers.metrics.enabled=false)

# Only this file's cost cases: server CPU per request and what observing costs (about 3 minutes
# with --repeats=1 and the peers).
cpu_matrix() {
  per_request_cpu 5 2
  observing_cost 5 2
}

# Whether GET /whoami on 127.0.0.1:$1 answers 200 now (bash's /dev/tcp: no curl needed).
first_answer() {
  local status
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /whoami HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$1" >&3
  read -r -t 5 status <&3 || true
  exec 3<&- 3>&-
  [[ $status == "HTTP/1.1 200"* ]]
}

# The classic Loom exhibit (JEP 444): n threads that each sleep 1 s, started and joined inside one
# request, which answers its own makespan, start time, wake-up phase, peak live threads and heap
# and RSS per thread (the load generator's once mode keeps those numbers). Beside each showcase
# case, the bare JDK 25 program doing the same work with no server (compare/bare/Threads.java),
# and the FastAPI twins: asyncio.gather of n asyncio.sleep, a ThreadPoolExecutor of n threads.
# About 4 minutes with --repeats=1, the wake-* cases included (a million-thread run takes 5-25 s on
# 2 cores, more on a loaded machine).
threads_matrix() {
  local n group
  for n in 10000 100000 1000000; do
    group="threads N=$(sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<< "$n"), 1 s"
    threads_case "threads-virtual-$n"      "$group" "virtual (/threads)"        showcase "/threads/virtual?n=$n&ms=1000"
    threads_bare "threads-bare-virtual-$n" "$group" "virtual, bare JDK program" virtual "$n"
    threads_case "threads-async-$n"        "$group" "asyncio.gather"            fastapi  "/threads/async?n=$n&ms=1000"
    [ "$n" = 10000 ] || continue
    threads_case "threads-platform-$n"      "$group" "platform (/threads)"        showcase "/threads/platform?n=$n&ms=1000"
    threads_bare "threads-bare-platform-$n" "$group" "platform, bare JDK program" platform "$n"
    threads_case "threads-sync-$n"          "$group" "ThreadPoolExecutor"         fastapi  "/threads/sync?n=$n&ms=1000"
  done
  # $1 = no-wake (the full matrix, to keep it near 30 minutes): without the ways to wait, which the
  # full run of 2026-12-01 ran once each (77 s) and --matrix=threads runs.
  [ "${1:-}" = no-wake ] || threads_wake_matrix
}

# What makes a million sleepers' wake-up cheaper (compare/README.md, "A million sleepers"): the
# bare program with more carriers, with timerQueues (read only with a custom scheduler in JDK 25),
# and other ways to wait: its own parkNanos, one timer that unparks all, one CountDownLatch,
# StructuredTaskScope forks. About 2 of the 4 minutes.
threads_wake_matrix() {
  local group="threads N=1,000,000, 1 s: ways to wait (bare JDK program)"
  threads_bare wake-sleep-2      "$group" "Thread.sleep, 2 carriers"          virtual 1000000 sleep
  threads_bare wake-sleep-4      "$group" "Thread.sleep, 4 carriers"          virtual 1000000 sleep -Djdk.virtualThreadScheduler.parallelism=4
  threads_bare wake-sleep-1      "$group" "Thread.sleep, 1 carrier"           virtual 1000000 sleep -Djdk.virtualThreadScheduler.parallelism=1
  threads_bare wake-timerqueues  "$group" "Thread.sleep, timerQueues=4"       virtual 1000000 sleep -Djdk.virtualThreadScheduler.timerQueues=4
  threads_bare wake-park         "$group" "LockSupport.parkNanos"             virtual 1000000 park
  threads_bare wake-unpark       "$group" "one timer unparks all"             virtual 1000000 unpark
  threads_bare wake-latch        "$group" "one timer, one CountDownLatch"     virtual 1000000 latch
  threads_bare wake-structured   "$group" "StructuredTaskScope forks"         virtual 1000000 structured
}

# threads_case <id> <group> <label> <target> <path>: a warm-up of the same route at n=1000 (a
# million-thread warm-up would double the case's time for no more JIT), then one request per
# repeat in the generator's once mode. Skipped when the target is not running.
threads_case() {
  local id=$1 group=$2 label=$3 tool=$4 path=$5 base pid_args=()
  target "$tool" || return 0
  register "$id" "$group" "$label" "$tool"
  gen once --url "$base${path/n=*&/n=1000&}" --label "$id-warmup" > /dev/null || true
  for i in $(seq 1 "$repeats"); do
    gen once --url "$base$path" --timeout-s 120 --label "$id" --json "$out/runs/$id/$i.json" | grep "^  answer" >&2 || true
  done
}

# threads_bare <id> <group> <label> <virtual|platform> <n> [wait [JVM flags...]]: the bare
# program, with the showcase's heap bound, one launch per repeat (it warms itself up with 1,000
# threads first); its JSON answer goes into a once-shaped run, so the same table and charts read it.
threads_bare() {
  local id=$1 group=$2 label=$3 style=$4 n=$5 wait=${6:-sleep} answer command
  shift $(( $# < 6 ? $# : 6 ))
  command=("$JAVA_HOME/bin/java" "$@" --enable-preview -Xmx2g compare/bare/Threads.java "$style" "$n" 1000 "$wait")
  register "$id" "$group" "$label" bare
  for i in $(seq 1 "$repeats"); do
    answer=$("${command[@]}" | tail -n 1)
    [[ $answer == "{"* ]] || { echo "  the bare program gave no answer" >&2; continue; }
    echo "  $answer" >&2
    printf '{"mode":"once","label":"%s","config":{"command":"%s"},"status":0,"answer":%s,"errors":{}}\n' \
      "$id" "java ${*:+$* }--enable-preview -Xmx2g compare/bare/Threads.java $style $n 1000 $wait" "$answer" > "$out/runs/$id/$i.json"
  done
}
