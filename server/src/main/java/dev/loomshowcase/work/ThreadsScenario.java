package dev.loomshowcase.work;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import dev.loomshowcase.burst.ServerStats;
import dev.loomshowcase.styles.VirtualStyle;
import dev.loomshowcase.web.Parameter;
import dev.loomshowcase.web.Problem;

/**
 * {@code /threads/{style}?n=&ms=}: the classic Loom exhibit of JEP 444. One request starts n
 * threads that each sleep ms, joins them, and says what they cost: how long starting them took,
 * how long until the last one ended, how many were alive at once, and the heap and resident
 * memory they added, per thread, measured. The two routes differ by one line: the builder
 * ({@code Thread.ofVirtual()} or {@code Thread.ofPlatform()}). FastAPI's nearest is
 * {@code asyncio.gather} of n {@code asyncio.sleep} tasks against n threads of a
 * {@code ThreadPoolExecutor(max_workers=n)}.
 */
public final class ThreadsScenario implements Scenario {

    public static final Parameter VIRTUAL_N = new Parameter("n", 1, 1_000_000, 10_000,
            "how many virtual threads to start (each a small object on the heap)");
    // Each platform thread is an OS thread with its own stack and kernel task: 10,000 stay well
    // inside this machine kind's process limit (ulimit -u) and memory; a million would not.
    public static final Parameter PLATFORM_N = new Parameter("n", 1, 10_000, 1_000,
            "how many platform threads to start (each an OS thread; at most 10,000)");
    public static final Parameter MS = new Parameter("ms", 0, 10_000, 1_000, "how long each thread sleeps, in milliseconds");

    /**
     * What one run cost; the memory figures are growth from just before the first start to just
     * after the last. {@code wakeMs} is what the makespan holds beyond starting them and one sleep:
     * the wake-up phase, which {@code note} explains once n is large enough for it to show.
     */
    public record Started(int n, long ms, long startAllMs, long makespanMs, int peakLive,
                          long heapBytesPerThread, long rssBytesPerThread, long wakeMs, String note) {
    }

    /** From this many threads on, the answer says where its wake-up time goes. */
    static final int NOTE_FROM_N = 100_000;

    /** A million threads is the machine's whole attention: one run at a time, and the figures stay its own. */
    private static final ReentrantLock ONE_AT_A_TIME = new ReentrantLock();

    private final VirtualStyle virtual;
    private final int retryAfterSeconds;

    public ThreadsScenario(VirtualStyle virtual, int retryAfterSeconds) {
        this.virtual = virtual;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public void addRoutes(Routes routes) {
        routes.with(VIRTUAL_N, MS)
                .get("/threads/virtual", "starts n virtual threads that each sleep ms, joins them, and reports time and memory per thread",
                        q -> virtual.run(() -> startAndJoin(Thread.ofVirtual(), (int) q.get(VIRTUAL_N), q.get(MS))));
        routes.with(PLATFORM_N, MS)
                .get("/threads/platform", "the same with n platform threads (OS threads), at most 10,000",
                        q -> virtual.run(() -> startAndJoin(Thread.ofPlatform(), (int) q.get(PLATFORM_N), q.get(MS))));
    }

    /** The work: start n threads from {@code builder}, each sleeping {@code ms}, then join them all. */
    Started startAndJoin(Thread.Builder builder, int n, long ms) throws Exception {
        if (!ONE_AT_A_TIME.tryLock()) {
            throw Problem.busy("Another /threads run is in progress; its figures would include this one's threads.",
                    retryAfterSeconds);
        }
        try {
            Thread[] threads = new Thread[n];
            AtomicInteger alive = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            Runnable sleeper = () -> {
                peak.accumulateAndGet(alive.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(ms);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    alive.decrementAndGet();
                }
            };
            // A collection first, so the baseline holds only live objects; none at the peak, which
            // would stop the sleepers' clock (the little garbage of starting them is counted).
            System.gc();
            long heapBefore = usedHeap();
            long rssBefore = residentBytes();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                threads[i] = builder.start(sleeper);
            }
            long startAll = System.nanoTime() - start;
            long heapGrowth = usedHeap() - heapBefore;
            long rssGrowth = residentBytes() - rssBefore;
            for (Thread thread : threads) {
                thread.join();
            }
            long makespanMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long startAllMs = TimeUnit.NANOSECONDS.toMillis(startAll);
            long wakeMs = Math.max(0, makespanMs - startAllMs - ms);
            return new Started(n, ms, startAllMs, makespanMs, peak.get(), Math.max(0, heapGrowth / n),
                    Math.max(0, rssGrowth / n), wakeMs, n < NOTE_FROM_N ? null : wakeNote(n, wakeMs));
        } finally {
            ONE_AT_A_TIME.unlock();
        }
    }

    /**
     * Why a million sleepers end seconds after their sleep: each Thread.sleep of a virtual thread
     * is a timer task in the ForkJoinPool's one delay-scheduler thread (JDK 25), and each expiry
     * is relayed from there to the carriers one at a time, which then remount and end the thread.
     * The showcase's JFR streams of jdk.VirtualThreadStart (and End) cost each thread an event too.
     */
    static String wakeNote(int n, long wakeMs) {
        return String.format(java.util.Locale.ROOT, "waking them took %d ms beyond the sleep, about %.1f µs per thread: "
                + "each sleep is a timer of the carriers' ForkJoinPool, whose one delay-scheduler thread relays the expiries "
                + "to the carriers one by one; the JFR streams that count virtual threads (app.pinning-monitor.count-virtual-threads, "
                + "the vthreads meters) add to it (see compare/README.md, \"A million sleepers\")", wakeMs, wakeMs * 1000.0 / n);
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The process's resident set (VmRSS of /proc/self/status), or 0 where there is no /proc. */
    private static long residentBytes() {
        Long rss = ServerStats.kilobytes(ServerStats.status(ProcessHandle.current().pid()).get("VmRSS"));
        return rss == null ? 0 : rss;
    }
}
