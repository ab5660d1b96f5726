package dev.loomshowcase.burst;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * What a run cost the server: CPU seconds, memory and threads from {@code /proc/<pid>} (Linux),
 * and from the showcase's own {@code /observe} routes the pinned virtual threads and the
 * scheduler's parallelism. Latency alone does not tell a thousand sleeping virtual threads from
 * a thousand platform threads; their memory and thread counts do.
 *
 * <p>Everything here is optional: without a pid, without {@code /proc}, or against a server
 * without {@code /observe}, the fields are null and the run goes on.
 */
public final class ServerStats implements AutoCloseable {

    /** How often memory and threads are sampled during the run. */
    static final Duration SAMPLE_EVERY = Duration.ofMillis(100);
    /**
     * How long the showcase may wait, at most, after a run before it reads the pinned-events
     * total: its JFR stream delivers events about once a second, so a pinning at the run's end
     * shows up late. It waits for the flush that holds them ({@code /observe/pinning?settle=}),
     * half a second on average.
     */
    public static final Duration PINNING_SETTLE = Duration.ofMillis(3_000);
    private static final int OBSERVE_TIMEOUT_MS = 2_000;

    /**
     * What the run cost.
     *
     * @param cpuSeconds           user + system CPU time the process and its descendants (a
     *                             uvicorn parent's workers) used during the run, or during the
     *                             window {@link #startCpuWindow}/{@link #endCpuWindow} marked
     * @param peakRssBytes         the largest resident set sampled during the run (of all the
     *                             server's processes, as the CPU seconds and the threads)
     * @param lifetimePeakRssBytes the process's peak resident set since it started (VmHWM)
     * @param threads              the most threads the process had during the run
     * @param pinnedEvents         pinned virtual threads JFR reported during the run
     * @param parallelism          the virtual-thread scheduler's parallelism (its carriers)
     * @param startRssBytes        the resident set when the run started
     */
    public record Usage(Double cpuSeconds, Long peakRssBytes, Long lifetimePeakRssBytes, Integer threads,
                        Long pinnedEvents, Integer parallelism, Long startRssBytes) {

        /**
         * What each request in flight cost the server in memory: the peak resident set's growth
         * over the run divided by the requests that were in flight together (a burst's n); null
         * when not measured.
         */
        public Long rssPerInFlightBytes(long inFlight) {
            return peakRssBytes == null || startRssBytes == null || inFlight < 1 ? null
                    : Math.max(0, peakRssBytes - startRssBytes) / inFlight;
        }

        public JsonObjectBuilder json() {
            JsonObjectBuilder json = JSON.createObjectBuilder();
            add(json, "cpuSeconds", cpuSeconds == null ? null : Math.round(cpuSeconds * 100) / 100.0);
            add(json, "peakRssBytes", peakRssBytes);
            add(json, "lifetimePeakRssBytes", lifetimePeakRssBytes);
            add(json, "threads", threads);
            add(json, "pinnedEvents", pinnedEvents);
            add(json, "parallelism", parallelism);
            add(json, "startRssBytes", startRssBytes);
            return json;
        }

        private static void add(JsonObjectBuilder json, String key, Number value) {
            switch (value) {
                case null -> json.addNull(key);
                case Double d -> json.add(key, d);
                default -> json.add(key, value.longValue());
            }
        }
    }

    private final Long pid;
    private final Target observeBase;
    private final long deadlineNanos;
    private final List<Long> processes;
    private volatile Long ticksBefore;
    private volatile Long ticksAtWindowEnd;
    private final Long pinnedBefore;
    private final Integer parallelism;
    private final Thread sampler;
    private volatile boolean running = true;
    private long peakRss = -1;
    private final long startRss;
    private int peakThreads = -1;

    private ServerStats(Long pid, Target observeBase, long deadlineNanos) {
        this.pid = pid;
        this.observeBase = observeBase;
        this.deadlineNanos = deadlineNanos;
        this.parallelism = observeNumber("/observe/scheduler", "parallelism") instanceof Long p ? p.intValue() : null;
        this.pinnedBefore = observeNumber("/observe/pinning?last=0", "total");
        this.processes = pid == null ? List.of() : tree(pid);
        this.ticksBefore = ticksNow();
        sample();
        this.startRss = peakRss;
        this.sampler = pid == null ? null : Thread.ofPlatform().name("server-stats").daemon().start(this::sampleLoop);
    }

    /**
     * Takes the "before" readings and starts sampling. Either argument may be null.
     *
     * @param deadlineNanos when sampling stops even without {@link #stop()}
     */
    public static ServerStats start(Long pid, Target observeBase, long deadlineNanos) {
        return new ServerStats(pid, observeBase, deadlineNanos);
    }

    /**
     * Starts the CPU window afresh: an open loop calls this just before its first request is due,
     * so that its own set-up (connections, the probe's start, the /observe reads) is not in it.
     */
    public void startCpuWindow() {
        ticksBefore = ticksNow();
        ticksAtWindowEnd = null;
    }

    /**
     * Ends the CPU window: an open loop calls this when its last request is answered, before
     * the side probe stops and the pinning total settles, which are no part of the measured window.
     */
    public void endCpuWindow() {
        ticksAtWindowEnd = ticksNow();
    }

    /** The server's CPU ticks now (all its processes), or null without a pid. */
    private Long ticksNow() {
        return pid == null ? null : cpuTicks(pid);
    }

    private void sampleLoop() {
        while (running && System.nanoTime() < deadlineNanos) {
            LockSupport.parkNanos(SAMPLE_EVERY.toNanos());
            sample();
        }
    }

    private synchronized void sample() {
        if (pid == null) {
            return;
        }
        // Memory and threads of all the server's processes, as its CPU (see cpuTicks); the
        // processes are the ones there at the start (a server's workers do not come and go).
        long rss = -1;
        int threads = -1;
        for (long process : processes) {
            Map<String, String> status = status(process);
            Long processRss = kilobytes(status.get("VmRSS"));
            if (processRss != null) {
                rss = Math.max(rss, 0) + processRss;
            }
            String processThreads = status.get("Threads");
            if (processThreads != null) {
                threads = Math.max(threads, 0) + Integer.parseInt(processThreads.strip());
            }
        }
        peakRss = Math.max(peakRss, rss);
        peakThreads = Math.max(peakThreads, threads);
    }

    /** The process and its descendants, now. */
    private static List<Long> tree(long pid) {
        List<Long> tree = new ArrayList<>(List.of(pid));
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> tree.add(d.pid())));
        return List.copyOf(tree);
    }

    /** Takes the "after" readings (the pinned total once the showcase's monitor has settled, at most {@link #PINNING_SETTLE}). */
    public Usage stop() throws InterruptedException {
        running = false;
        if (sampler != null) {
            LockSupport.unpark(sampler);
            sampler.join(Duration.ofSeconds(5));
        }
        sample();
        Long ticksAfter = ticksAtWindowEnd != null ? ticksAtWindowEnd : ticksNow();
        Double cpuSeconds = ticksBefore == null || ticksAfter == null ? null
                : (ticksAfter - ticksBefore) / (double) ClockTicks.PER_SECOND;
        Long pinnedAfter = null;
        if (pinnedBefore != null) {
            pinnedAfter = observeNumber("/observe/pinning?last=0&settle=" + PINNING_SETTLE.toMillis(), "total",
                    OBSERVE_TIMEOUT_MS + (int) PINNING_SETTLE.toMillis());
        }
        // The processes' own peaks added up: at least the peak of their sum.
        Long hwm = null;
        for (long process : processes) {
            Long processHwm = kilobytes(status(process).get("VmHWM"));
            if (processHwm != null) {
                hwm = (hwm == null ? 0 : hwm) + processHwm;
            }
        }
        synchronized (this) {
            // Linux updates VmHWM lazily (when memory is unmapped, not on every page fault), so a
            // sampled VmRSS can be above it: the lifetime peak is at least what was seen.
            if (hwm != null && peakRss > hwm) {
                hwm = peakRss;
            }
            return new Usage(cpuSeconds, peakRss < 0 ? null : peakRss, hwm, peakThreads < 0 ? null : peakThreads,
                    pinnedAfter == null ? null : pinnedAfter - pinnedBefore, parallelism, startRss < 0 ? null : startRss);
        }
    }

    @Override
    public void close() {
        running = false;
    }

    /**
     * User + system CPU time of a process and all its descendants in clock ticks, or null when
     * the process is not there. A server of several processes (uvicorn --workers 2: a parent
     * that only watches, workers that serve) costs what all of them use; the JDK's
     * {@link ProcessHandle#descendants()} finds them (on Linux by reading each /proc/pid/stat's
     * parent pid). A descendant that ends between the two readings takes its ticks with it.
     */
    static Long cpuTicks(long pid) {
        Long own = ownCpuTicks(pid);
        if (own == null) {
            return null;
        }
        long total = own;
        List<Long> processes = tree(pid);
        for (long descendant : processes.subList(1, processes.size())) {
            Long ticks = ownCpuTicks(descendant);
            total += ticks == null ? 0 : ticks;
        }
        return total;
    }

    /** User + system CPU time of one process (all its threads) in clock ticks (/proc/pid/stat), or null. */
    static Long ownCpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    /** The "Key: value" lines of /proc/pid/status; empty when the process or /proc is not there. */
    public static Map<String, String> status(long pid) {
        Map<String, String> status = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    status.put(line.substring(0, colon), line.substring(colon + 1).strip());
                }
            }
        } catch (IOException | RuntimeException gone) {
            // no such process, or no /proc: nothing to report
        }
        return status;
    }

    /** "123456 kB" as bytes, or null. */
    public static Long kilobytes(String value) {
        if (value == null || !value.endsWith("kB")) {
            return null;
        }
        try {
            return Long.parseLong(value.substring(0, value.length() - 2).strip()) * 1024;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A whole number from one of the showcase's /observe routes, or null when it is not there. */
    private Long observeNumber(String path, String key) {
        return observeNumber(path, key, OBSERVE_TIMEOUT_MS);
    }

    private Long observeNumber(String path, String key, int timeoutMs) {
        if (observeBase == null) {
            return null;
        }
        Target target = observeBase.resolve(path);
        try (Connection connection = Connection.open(target.address(), OBSERVE_TIMEOUT_MS)) {
            connection.timeout(timeoutMs);
            connection.send(target.request(false));
            Connection.Response response = connection.receive(true);
            if (response.status() != 200) {
                return null;
            }
            try (JsonReader reader = JSON.createReader(new ByteArrayInputStream(response.body()))) {
                JsonObject json = reader.readObject();
                return json.containsKey(key) && json.get(key) instanceof JsonNumber n ? n.longValue() : null;
            }
        } catch (IOException | RuntimeException absent) {
            return null; // not the showcase, or not answering: the field stays null
        }
    }

    /**
     * The kernel's clock ticks per second, the unit of /proc/pid/stat's times: what
     * {@code getconf CLK_TCK} says, 100 when it cannot say. Read once, when first needed.
     */
    private static final class ClockTicks {

        static final long PER_SECOND = read();

        private static long read() {
            try {
                Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(getconf.getInputStream().readAllBytes()).strip();
                if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                    long ticks = Long.parseLong(out);
                    return ticks > 0 ? ticks : 100;
                }
                getconf.destroy();
            } catch (IOException | RuntimeException e) {
                // no getconf here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 100;
        }
    }
}
