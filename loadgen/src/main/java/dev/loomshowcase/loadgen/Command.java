package dev.loomshowcase.loadgen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.loomshowcase.burst.Burst;
import dev.loomshowcase.burst.Http2Burst;
import dev.loomshowcase.burst.Options;
import dev.loomshowcase.burst.ServerStats;
import dev.loomshowcase.burst.Target;

/**
 * The load generator's command line, parsed and held to its bounds: what the arguments asked
 * for. {@code n} is a burst's size or a closed loop's connections.
 */
record Command(String mode, Options options, int n, double rate, Duration duration, List<Double> rates,
               double p99BoundMs, String json, Duration warmup, Integer http2Connections) {

    static final String USAGE = """
            usage: LoadGenerator burst --url URL -n N                                          [options]
                   LoadGenerator burst --http2 --connections K --url URL -n N                  [options]
                   LoadGenerator open  --url URL --rate R --duration-s D                      [options]
                   LoadGenerator sweep --url URL --rates R1,R2,... --duration-s D --p99-bound-ms B [options]
                   LoadGenerator closed --url URL -c C --duration-s D                         [options]
                   LoadGenerator once  --url URL                                              [options]
            modes:
              burst   N requests at once, each on a connection opened before t0; with --http2, as
                      streams of K h2c connections (prior knowledge), request i on connection i % K
              open    a constant arrival rate; latency from each request's intended send time
              sweep   open loops at rising rates: the highest rate whose p99 stays under the bound
              closed  C connections, each sending again as soon as it is answered (as wrk does):
                      the most requests per second; its latencies omit the waits of a stall
              once    one request, its JSON answer's numbers kept under "answer" (a route that
                      measures itself, such as /threads/virtual?n=1000000); no probe
            options:
              --probe-url URL       the side probe's GET, every 50 ms (default: /whoami on the same server)
              --no-probe            no side probe
              --server-pid PID      the server's process, for CPU seconds, RSS and threads from /proc
              --observe-base URL    the showcase's base URL, for pinned events and parallelism
                                    (default: the same server; absent routes leave the fields null)
              --no-observe          do not ask /observe
              --timeout-s S         how long one request may take, 1..600 (default 60)
              --warmup-s S          first S seconds (0..60) of the same load, unmeasured (open, sweep,
                                    closed): warms this JVM's JIT as well as the server's
              --http2               a burst over HTTP/2 cleartext with prior knowledge (h2c), needing one
                                    file per connection rather than per request
              --connections K       the HTTP/2 burst's connections (default: N / 400, at least 1)
              --label L             a name for the run
              --json FILE           write the JSON object to FILE ("-": to standard output)
            Only http://127.x.y.z, localhost and [::1] are accepted. Bounds: n <= 20000 (HTTP/2: 200000 over at
            most 2000 connections), rate <= 20000/s, c <= 1000, duration <= 600 s (a sweep's durations added up
            too). A burst that cannot fit the open-file limit (this process's, and the server's with
            --server-pid) is refused before it starts. Exit 0 only when no request failed.
            """;



        /** How long the whole command may take before it is stopped from outside its run. */
        Duration hardDeadline() {
            Duration timeout = options.timeout();
            Duration settle = ServerStats.PINNING_SETTLE.plusSeconds(30);
            return warmup.multipliedBy(2).plus(switch (mode) {
                case "burst", "once" -> timeout.multipliedBy(2).plus(settle);
                case "open", "closed" -> duration.plus(timeout).multipliedBy(2).plus(settle);
                default -> duration.plus(timeout).plus(settle).multipliedBy(rates.size());
            });
        }

    /**
     * Reads the arguments; null for {@code --help}.
     *
     * @throws IllegalArgumentException saying what is wrong, for a person
     */
    static Command parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("no mode given: burst, open, sweep, closed or once");
        }
        if (args[0].equals("--help") || args[0].equals("-h")) {
            return null;
        }
        String mode = args[0];
        if (!List.of("burst", "open", "sweep", "closed", "once").contains(mode)) {
            throw new IllegalArgumentException("unknown mode '" + mode + "': burst, open, sweep, closed or once");
        }
        String url = null;
        String probeUrl = null;
        String observeBase = null;
        String label = null;
        String json = null;
        Long pid = null;
        boolean probe = true;
        boolean observe = true;
        Integer n = null;
        Integer connections = null;
        boolean http2 = false;
        Integer http2Connections = null;
        Double rate = null;
        Double durationS = null;
        Double bound = null;
        List<Double> rates = null;
        double timeoutS = 60;
        double warmupS = 0;
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--no-probe" -> probe = false;
                case "--no-observe" -> observe = false;
                case "--http2" -> http2 = true;
                case "--help", "-h" -> {
                    return null;
                }
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(option.startsWith("-")
                                ? option + " needs a value" : "unexpected argument '" + option + "'");
                    }
                    String value = args[++i];
                    switch (option) {
                        case "--url" -> url = value;
                        case "-n" -> n = (int) whole(option, value, 1, Http2Burst.MAX_N);
                        case "--connections" -> http2Connections = (int) whole(option, value, 1, Http2Burst.MAX_CONNECTIONS);
                        case "-c" -> connections = (int) whole(option, value, 1, ClosedLoop.MAX_CONNECTIONS);
                        case "--rate" -> rate = number(option, value, 0.001, OpenLoop.MAX_RATE);
                        case "--rates" -> rates = rateList(value);
                        case "--duration-s" -> durationS = number(option, value, 0.001, OpenLoop.MAX_DURATION.toSeconds());
                        case "--p99-bound-ms" -> bound = number(option, value, 0.001, 3_600_000);
                        case "--probe-url" -> probeUrl = value;
                        case "--observe-base" -> observeBase = value;
                        case "--server-pid" -> pid = whole(option, value, 1, Long.MAX_VALUE);
                        case "--timeout-s" -> timeoutS = number(option, value, 1, Options.MAX_TIMEOUT.toSeconds());
                        case "--warmup-s" -> warmupS = number(option, value, 0, 60);
                        case "--label" -> label = value;
                        case "--json" -> json = value;
                        default -> throw new IllegalArgumentException("unknown option '" + option + "'");
                    }
                }
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        Target target = Target.of(url);
        Options options = Options.of(target)
                .withTimeout(Duration.ofMillis(Math.round(timeoutS * 1_000)))
                .withLabel(label)
                .withServerPid(pid)
                .withProbe(!probe ? null : probeUrl != null ? Target.of(probeUrl) : target.resolve("/whoami"))
                .withObserveBase(!observe ? null : observeBase != null ? Target.of(observeBase) : target.resolve("/"));
        Duration duration = durationS == null ? null : Duration.ofNanos(Math.round(durationS * 1e9));
        switch (mode) {
            case "burst" -> {
                require(n != null, "-n is required for a burst");
                require(warmupS == 0, "a burst has no --warmup-s: warm the server up with a burst of its own");
                if (http2) {
                    http2Connections = http2Connections != null ? http2Connections
                            : Math.max(1, n / PER_CONNECTION);
                    require(http2Connections <= n, "--connections must be at most -n (" + n + "), not " + http2Connections);
                } else {
                    require(n <= Burst.MAX_N, "-n must be between 1 and " + Burst.MAX_N + " for an HTTP/1.1 burst (one"
                            + " connection, so one open file, per request), not " + n + "; --http2 takes up to "
                            + Http2Burst.MAX_N + " over a few connections");
                    require(http2Connections == null, "--connections is for an HTTP/2 burst (--http2)");
                }
            }
            case "once" -> require(warmupS == 0, "once has no --warmup-s: warm the server up with a run of its own");
            case "open" -> {
                require(!http2 && http2Connections == null, "--http2 and --connections are for a burst");
                require(rate != null, "--rate is required for an open loop");
                require(duration != null, "--duration-s is required for an open loop");
            }
            case "closed" -> {
                require(!http2 && http2Connections == null, "--http2 and --connections are for a burst");
                require(connections != null, "-c is required for a closed loop");
                require(duration != null, "--duration-s is required for a closed loop");
            }
            default -> {
                require(!http2 && http2Connections == null, "--http2 and --connections are for a burst");
                require(rates != null, "--rates is required for a sweep");
                require(duration != null, "--duration-s is required for a sweep");
                require(bound != null, "--p99-bound-ms is required for a sweep");
                require(duration.multipliedBy(rates.size()).compareTo(OpenLoop.MAX_DURATION) <= 0,
                        "a sweep's durations add up to at most " + OpenLoop.MAX_DURATION.toSeconds() + " s");
            }
        }
        return new Command(mode, options, mode.equals("closed") ? connections : n == null ? 0 : n, rate == null ? 0 : rate, duration,
                rates == null ? List.of() : rates, bound == null ? 0 : bound, json,
                Duration.ofMillis(Math.round(warmupS * 1_000)), http2Connections);
    }

    /** An HTTP/2 burst's streams per connection when --connections is not given (the showcase allows 1000). */
    static final int PER_CONNECTION = 400;

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static double number(String option, String value, double min, double max) {
        double number;
        try {
            number = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, not '" + value + "'");
        }
        if (!(number >= min && number <= max)) {
            throw new IllegalArgumentException(option + " must be between " + Report.decimal(min) + " and "
                    + Report.decimal(max) + ", not " + value);
        }
        return number;
    }

    private static long whole(String option, String value, long min, long max) {
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, not '" + value + "'");
        }
        if (number < min || number > max) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", not " + value);
        }
        return number;
    }

    private static List<Double> rateList(String value) {
        List<Double> rates = new ArrayList<>();
        for (String part : value.split(",")) {
            rates.add(number("--rates", part.strip(), 0.001, OpenLoop.MAX_RATE));
        }
        if (rates.size() > RateSweep.MAX_RATES) {
            throw new IllegalArgumentException("--rates takes at most " + RateSweep.MAX_RATES + " rates");
        }
        return List.copyOf(rates);
    }
}
