import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The bare JDK 25 program the showcase's /threads route is measured against: no server, no
 * HTTP, the same work and the same JSON fields, so compare/ can put the two side by side.
 *
 * <pre>
 * java --enable-preview compare/bare/Threads.java virtual 100000 1000          # n sleeps of 1 s
 * java --enable-preview compare/bare/Threads.java platform 10000 1000
 * java --enable-preview compare/bare/Threads.java virtual 1000000 1000 unpark  # another way to wait
 * </pre>
 *
 * The ways to wait (the fourth argument), for the wake-up cost of a million sleepers:
 * sleep (Thread.sleep, the route's), park (LockSupport.parkNanos to the thread's own deadline),
 * structured (StructuredTaskScope forks of Thread.sleep), and two with one timer for all instead
 * of one per thread, released ms after the last thread started (so each waits at least ms, as a
 * sleeper does): latch (one ScheduledExecutorService task counts down one CountDownLatch that
 * all await) and unpark (one scheduled task unparks every thread, parked with no timeout).
 */
public class Threads {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Threads virtual|platform N MS [sleep|park|latch|unpark|structured]");
            System.exit(2);
        }
        Thread.Builder builder = switch (args[0]) {
            case "virtual" -> Thread.ofVirtual();
            case "platform" -> Thread.ofPlatform();
            default -> throw new IllegalArgumentException("style: virtual or platform, not " + args[0]);
        };
        int n = Integer.parseInt(args[1]);
        long ms = Long.parseLong(args[2]);
        String wait = args.length > 3 ? args[3] : "sleep";
        // The same first runs as a warm showcase has had: classes loaded, the start path compiled.
        run(builder, Math.min(n, 1_000), 1, wait);
        System.out.println(run(builder, n, ms, wait));
    }

    static String run(Thread.Builder builder, int n, long ms, String wait) throws Exception {
        AtomicInteger alive = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Thread[] threads = new Thread[n];
        CountDownLatch gate = new CountDownLatch(1);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        System.gc();
        long heapBefore = usedHeap();
        long rssBefore = residentBytes();
        AtomicBoolean released = new AtomicBoolean();
        long start = System.nanoTime();
        Runnable waiting = switch (wait) {
            case "sleep", "structured" -> () -> sleep(Duration.ofMillis(ms));
            case "park" -> () -> {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
                for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(left);
                }
            };
            case "latch" -> () -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            // A spurious wake-up before the release parks again; the timer's unpark ends it.
            case "unpark" -> () -> {
                while (!released.get()) {
                    LockSupport.park();
                }
            };
            default -> throw new IllegalArgumentException("wait: sleep, park, latch, unpark or structured, not " + wait);
        };
        Runnable sleeper = () -> {
            peak.accumulateAndGet(alive.incrementAndGet(), Math::max);
            try {
                waiting.run();
            } finally {
                alive.decrementAndGet();
            }
        };
        long startAll;
        long heapGrowth;
        long rssGrowth;
        if (wait.equals("structured")) {
            // JEP 505 (preview in 25): the scope forks each subtask on a virtual thread of its own.
            try (var scope = StructuredTaskScope.open()) {
                for (int i = 0; i < n; i++) {
                    scope.fork(sleeper);
                }
                startAll = System.nanoTime() - start;
                heapGrowth = usedHeap() - heapBefore;
                rssGrowth = residentBytes() - rssBefore;
                scope.join();
            }
        } else {
            for (int i = 0; i < n; i++) {
                threads[i] = builder.start(sleeper);
            }
            startAll = System.nanoTime() - start;
            heapGrowth = usedHeap() - heapBefore;
            rssGrowth = residentBytes() - rssBefore;
            if (wait.equals("latch")) {
                timer.schedule(gate::countDown, ms, TimeUnit.MILLISECONDS);
            } else if (wait.equals("unpark")) {
                timer.schedule(() -> {
                    released.set(true);
                    for (Thread thread : threads) {
                        LockSupport.unpark(thread);
                    }
                }, ms, TimeUnit.MILLISECONDS);
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        long makespanMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long startAllMs = TimeUnit.NANOSECONDS.toMillis(startAll);
        timer.shutdown();
        // wakeMs as the route's: what the makespan holds beyond starting them all and one sleep.
        return String.format("{\"scenario\":\"threads\",\"style\":\"%s\",\"wait\":\"%s\",\"result\":{\"n\":%d,\"ms\":%d,"
                        + "\"startAllMs\":%d,\"makespanMs\":%d,\"peakLive\":%d,\"heapBytesPerThread\":%d,\"rssBytesPerThread\":%d,"
                        + "\"wakeMs\":%d}}",
                builder instanceof Thread.Builder.OfVirtual ? "virtual" : "platform", wait, n, ms, startAllMs, makespanMs,
                peak.get(), Math.max(0, heapGrowth / n), Math.max(0, rssGrowth / n), Math.max(0, makespanMs - startAllMs - ms));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** VmRSS of /proc/self/status, in bytes; 0 where there is no /proc. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // no /proc here
        }
        return 0;
    }
}
