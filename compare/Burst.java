import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Burst: N concurrent GETs at one URL on 127.0.0.1, each on its own HTTP/1.1 connection and its
 * own virtual thread. All N connections are opened first and every request leaves at t0, so the
 * figures show how the server copes with N requests at once, not how fast it accepts sockets.
 *
 * <pre>java compare/Burst.java [-n N] [--timeout-s S] 'http://127.0.0.1:8080/sleep/virtual?ms=1000'</pre>
 *
 * Exits 0 only when every request got a 2xx answer; 1 otherwise; 2 on bad arguments.
 */
public class Burst {

    static final int MAX_N = 20_000;

    /**
     * One request's outcome: the status (or 0), or what broke it. Its latency runs from its own
     * send (after t0) to the last byte of the answer; the makespan runs from t0 to the last answer.
     */
    record Result(int status, long sentNs, long endNs, String error, String message) {
        static Result failed(String phase, Throwable e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause(); // "Too many open files" hides in causes
            return new Result(0, 0, 0, phase + " " + e.getClass().getSimpleName(), root.getMessage());
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int n = 100;
        long timeoutS = 120;
        String url = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "-n" -> n = Integer.parseInt(args[++i]);
                    case "--timeout-s" -> timeoutS = Long.parseLong(args[++i]);
                    default -> {
                        if (url != null || args[i].startsWith("-")) usage("unexpected argument: " + args[i]);
                        url = args[i];
                    }
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            usage("bad option value: " + e.getMessage());
        }
        if (url == null) usage("no URL given");
        if (n < 1 || n > MAX_N) usage("-n must be between 1 and " + MAX_N);
        if (timeoutS < 1) usage("--timeout-s must be at least 1");
        URI uri = URI.create(url);
        // A load generator pointed at someone else's server is an attack: loopback only.
        if (!"http".equals(uri.getScheme()) || !"127.0.0.1".equals(uri.getHost())) {
            usage("refusing " + url + ": only plain http://127.0.0.1[:port]/... is allowed");
        }
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);

        // Each connection is one file descriptor here (and one at the server): warn before failing.
        long maxFds = maxFileDescriptors();
        boolean fdShort = maxFds > 0 && n + 64 > maxFds;
        if (fdShort) System.err.println("warning: -n " + n + " needs more than the open-file limit of " + maxFds);

        startPoller();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        CountDownLatch connected = new CountDownLatch(n), go = new CountDownLatch(1), done = new CountDownLatch(n);
        AtomicReferenceArray<Result> results = new AtomicReferenceArray<>(n);
        long connectStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int slot = i;
            Thread.ofVirtual().name("burst-" + i).start(() -> {
                try {
                    results.set(slot, one(address, request, deadline, connected, go));
                } finally {
                    done.countDown();
                }
            });
        }
        // Failed connects count down too, so this only waits for slow connects, never forever.
        connected.await(msLeft(deadline), TimeUnit.MILLISECONDS);
        long t0 = System.nanoTime();
        go.countDown();
        done.await(msLeft(deadline), TimeUnit.MILLISECONDS);

        // Tally. Anything still running at the deadline is reported, not waited for.
        long[] latencies = new long[n];
        int answered = 0, ok = 0, unfinished = 0;
        long lastEnd = t0;
        Map<Integer, Integer> non2xx = new TreeMap<>();
        Map<String, Integer> errors = new TreeMap<>();
        Map<String, String> sampleMessage = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Result r = results.get(i);
            if (r == null) {
                unfinished++;
            } else if (r.error() != null) {
                errors.merge(r.error(), 1, Integer::sum);
                sampleMessage.putIfAbsent(r.error(), String.valueOf(r.message()));
            } else {
                latencies[answered++] = r.endNs() - r.sentNs();
                lastEnd = Math.max(lastEnd, r.endNs());
                if (r.status() / 100 == 2) ok++;
                else non2xx.merge(r.status(), 1, Integer::sum);
            }
        }
        int errorCount = errors.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("burst n=%d ok=%d non2xx=%d errors=%d unfinished=%d connect=%d ms makespan=%d ms  GET %s%n",
                n, ok, answered - ok, errorCount, unfinished, ms(t0 - connectStart), ms(lastEnd - t0), url);
        if (answered > 0) {
            long[] sorted = Arrays.copyOf(latencies, answered);
            Arrays.sort(sorted);
            System.out.printf("latency ms: p50=%d p90=%d p99=%d max=%d (%d answered)%n", ms(pct(sorted, 50)),
                    ms(pct(sorted, 90)), ms(pct(sorted, 99)), ms(sorted[answered - 1]), answered);
        }
        non2xx.forEach((status, count) -> System.out.println("non-2xx: " + status + " x" + count));
        errors.forEach((error, count) -> System.out.println("error: " + error + " x" + count + " (e.g. "
                + sampleMessage.get(error) + ")"));
        if (unfinished > 0) System.out.println("unfinished at the " + timeoutS + " s deadline: " + unfinished);
        boolean fdErrors = sampleMessage.values().stream().anyMatch(m -> m.contains("open files"));
        if (errors.keySet().stream().anyMatch(e -> e.startsWith("connect")) && (fdShort || fdErrors)) {
            System.out.println("hint: raise the open-file limit: ulimit -n 65536 (current limit " + maxFds + ")");
        }
        // exit() rather than return: stragglers past the deadline must not keep the JVM alive.
        System.exit(ok == n ? 0 : 1);
    }

    /** Connects, waits for the common start, sends the request, reads the whole answer. */
    static Result one(InetSocketAddress address, byte[] request, long deadline,
                      CountDownLatch connected, CountDownLatch go) {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(address, msLeft(deadline));
                // Read timeout = time left overall: no read can outlive the deadline.
                socket.setSoTimeout(msLeft(deadline));
            } catch (IOException e) {
                return Result.failed("connect", e);
            } finally {
                connected.countDown();
            }
            go.await();
            long sent = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String statusLine = readLine(in);
            String[] parts = statusLine.split(" ");
            if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
                return new Result(0, 0, 0, "request BadStatusLine", statusLine);
            }
            readBody(in);
            return new Result(Integer.parseInt(parts[1]), sent, System.nanoTime(), null, null);
        } catch (Exception | Error e) { // Error too: the JDK's epoll poller fails to start without fds
            return Result.failed("request", e);
        }
    }

    /**
     * Reads the headers and the body as the headers frame it. Waiting for EOF is not enough:
     * Helidon 4.1.7 sends "Connection: close" yet keeps the socket open until the client closes
     * (or half-closes) it, so "until EOF" would wait for the read timeout.
     */
    static void readBody(InputStream in) throws IOException {
        long length = -1;
        boolean chunked = false;
        for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
            String lower = h.toLowerCase();
            if (lower.startsWith("content-length:")) length = Long.parseLong(lower.substring(15).strip());
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
        }
        if (chunked) {
            for (long size; (size = Long.parseLong(readLine(in).split(";")[0], 16)) > 0; readLine(in)) {
                in.skipNBytes(size); // throws EOFException if the body is cut short
            }
            while (!readLine(in).isEmpty()) { } // trailers
        } else if (length >= 0) {
            in.skipNBytes(length);
        } else {
            in.transferTo(OutputStream.nullOutputStream()); // unframed: the body ends at EOF
        }
    }

    /** One line, up to LF, without CR; empty at EOF (a server that closed without answering). */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) line.append((char) b);
        return line.toString().strip();
    }

    /**
     * Starts the JDK's socket poller (its epoll fds) while fds are still free. Started lazily, by
     * the first blocking read, it fails with NoClassDefFoundError once the sockets used them all.
     */
    static void startPoller() throws InterruptedException {
        Thread.ofVirtual().start(() -> {
            try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                listener.setSoTimeout(1); // a timed accept on a virtual thread parks in the poller
                listener.accept();
            } catch (IOException expected) {
            }
        }).join();
    }

    /** Nearest-rank percentile of a sorted array. */
    static long pct(long[] sorted, int p) {
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** Milliseconds left before the deadline, at least 1 (0 would mean "no timeout" to a socket). */
    static int msLeft(long deadline) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** The process's open-file limit (the JVM raises the soft limit to the hard one), or -1. */
    static long maxFileDescriptors() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os
                ? os.getMaxFileDescriptorCount() : -1;
    }

    static void usage(String problem) {
        System.err.println("burst: " + problem);
        System.err.println("usage: java compare/Burst.java [-n N (1.." + MAX_N + ", default 100)] "
                + "[--timeout-s S (default 120)] http://127.0.0.1:PORT/path");
        System.exit(2);
    }
}
