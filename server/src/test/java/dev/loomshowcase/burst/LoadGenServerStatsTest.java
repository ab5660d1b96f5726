package dev.loomshowcase.burst;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import dev.loomshowcase.support.RunningShowcase;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@link ServerStats} on this very JVM (the server of the tests runs in it): CPU time, memory
 * and threads from /proc, the scheduler and pinning from /observe, and nulls, not failures,
 * for whatever is not there.
 */
@Timeout(60)
@ServerTest(pinningDetection = true)
class LoadGenServerStatsTest {

    private static long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    }

    @Test
    void readsThisProcessFromProc() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long wallStart = System.nanoTime();
        ServerStats stats = ServerStats.start(ProcessHandle.current().pid(), null, deadline());
        // 300 ms of CPU on this thread, by its own CPU clock: however busy the machine, this
        // process spends at least that between start and stop.
        long cpuEnd = threads.getCurrentThreadCpuTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (threads.getCurrentThreadCpuTime() < cpuEnd) {
            Thread.onSpinWait();
        }
        ServerStats.Usage usage = stats.stop();
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        // /proc counts in clock ticks (10 ms here): 0.25 s leaves room for the rounding.
        assertThat("at least this thread's 300 ms", usage.cpuSeconds(), greaterThan(0.25));
        assertThat("at most every core for the whole time", usage.cpuSeconds(),
                lessThan(wallSeconds * Runtime.getRuntime().availableProcessors() + 0.1));
        assertThat(usage.peakRssBytes(), greaterThan(10L << 20));
        assertThat(usage.lifetimePeakRssBytes(), greaterThanOrEqualTo(usage.peakRssBytes()));
        assertThat(usage.threads(), greaterThan(1));
        assertThat("no /observe asked", usage.pinnedEvents(), is(nullValue()));
        assertThat(usage.parallelism(), is(nullValue()));
    }

    @Test
    void readsTheShowcasesObserveRoutes(RunningShowcase showcase) throws Exception {
        ServerStats stats = ServerStats.start(null, Target.of(showcase.uri("/").toString()), deadline());
        ServerStats.Usage usage = stats.stop();
        assertThat("the tests run with -Djdk.virtualThreadScheduler.parallelism=2", usage.parallelism(), is(2));
        assertThat("nothing pinned in between (a pinning here fails the class)", usage.pinnedEvents(), is(0L));
        assertThat("no pid, no /proc figures", usage.cpuSeconds(), is(nullValue()));
    }

    @Test
    void anAbsentProcessOrServerGivesNullsNotFailures() throws Exception {
        long noSuchPid = Long.MAX_VALUE;
        ServerStats stats = ServerStats.start(noSuchPid, Target.of("http://127.0.0.1:1/"), deadline());
        ServerStats.Usage usage = stats.stop();
        assertThat(usage, is(new ServerStats.Usage(null, null, null, null, null, null, null)));
    }

    @Test
    void parsesProcFormats() {
        assertThat(ServerStats.kilobytes("123456 kB"), is(123456L * 1024));
        assertThat(ServerStats.kilobytes("12"), is(nullValue()));
        assertThat(ServerStats.cpuTicks(ProcessHandle.current().pid()), greaterThan(0L));
    }
}
