package dev.loomshowcase;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Burst;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The showcase under load, with nothing allowed to fail: a burst of concurrent connections on
 * {@code /sleep/virtual}, then a soak at a fixed arrival rate over a mix of routes, after which
 * the heap (after GC) must be back within 20% of where it started. Sized by system properties:
 * the default build runs a short version (1,000 connections, 5 s); {@code ./mvnw verify -Pload}
 * runs the full one (5,000 connections, 60 s).
 */
@ServerTest(pinningDetection = true)
class LoadTest {

    private static final int CONNECTIONS = Integer.getInteger("load.connections", 1_000);
    private static final int SOAK_SECONDS = Integer.getInteger("load.soak-seconds", 5);
    private static final int SOAK_RATE = Integer.getInteger("load.soak-rate", 100);
    private static final String[] MIX = {
            "/sleep/virtual?ms=50", "/http/virtual?ms=20", "/db/virtual?ms=5", "/fanout/structured?calls=3&ms=20",
            "/cpu/virtual?n=1000000", "/whoami", "/users?page=1&size=5", "/sleep/platform?ms=5", "/sleep/reactive?ms=20"};

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @Test
    void burstOfConcurrentConnectionsCompletesWithoutErrors() throws Exception {
        SHOWCASE.burst(200, "/sleep/virtual?ms=10");
        Burst burst = SHOWCASE.burst(CONNECTIONS, "/sleep/virtual?ms=1000");
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        burst.replies().forEach(r -> statuses.merge(r.status(), 1L, Long::sum));
        System.out.printf("load: %d concurrent /sleep/virtual?ms=1000: makespan %d ms, statuses %s%n",
                CONNECTIONS, burst.makespanMs(), statuses);
        assertThat(CONNECTIONS + " concurrent sleeps, statuses " + statuses + ", makespan " + burst.makespanMs() + " ms",
                burst.failures(), is(0L));
    }

    @Test
    void soakAtAFixedRateHasNoErrorsAndNoHeapGrowth() throws Exception {
        runMix(Math.max(2, SOAK_SECONDS / 5), SOAK_RATE); // warm-up: JIT, pools, caches
        long before = heapAfterGc();
        Map<String, Long> failures = runMix(SOAK_SECONDS, SOAK_RATE);
        long after = heapAfterGc();
        System.out.printf("load: soak %d s at %d/s over %d routes: failures %s, heap after GC %d → %d MiB%n",
                SOAK_SECONDS, SOAK_RATE, MIX.length, failures, before / 1_048_576, after / 1_048_576);
        assertThat("soak of " + SOAK_SECONDS + " s at " + SOAK_RATE + "/s: failures " + failures, failures.isEmpty(), is(true));
        assertThat("heap after GC: " + before / 1_048_576 + " MiB before, " + after / 1_048_576 + " MiB after",
                (double) after, lessThanOrEqualTo(before * 1.2 + 8 * 1_048_576));
    }

    /**
     * Sends the mix open-loop: one request every 1/rate s at its intended time, each on its own
     * virtual thread, whatever the earlier ones are doing. Returns failures by route and status.
     */
    private static Map<String, Long> runMix(int seconds, int rate) throws Exception {
        Map<String, Long> failures = new ConcurrentHashMap<>();
        AtomicLong sent = new AtomicLong();
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<?>> requests = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long next = start; next < end; next += intervalNanos) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                String path = MIX[(int) (sent.getAndIncrement() % MIX.length)];
                requests.add(threads.submit(() -> {
                    Reply reply;
                    try {
                        reply = SHOWCASE.get(path);
                    } catch (AssertionError e) {
                        failures.merge(path + " → " + e.getMessage(), 1L, Long::sum);
                        return;
                    }
                    if (reply.status() != 200) {
                        failures.merge(path + " → " + reply.status(), 1L, Long::sum);
                    }
                }));
            }
            for (Future<?> request : requests) {
                request.get(120, TimeUnit.SECONDS);
            }
        }
        return failures;
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
