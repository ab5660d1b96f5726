package dev.loomshowcase.burst;

import java.util.concurrent.TimeUnit;

import dev.loomshowcase.support.RunningShowcase;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
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
        ServerStats stats = ServerStats.start(ProcessHandle.current().pid(), null, deadline());
        long sum = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < end) {
            sum += System.nanoTime() % 7; // 300 ms of CPU on this thread
        }
        ServerStats.Usage usage = stats.stop();
        assertThat("the loop ran (" + sum + ")", sum, greaterThanOrEqualTo(0L));
        assertThat(usage.cpuSeconds(), greaterThan(0.0));
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
        assertThat(usage.pinnedEvents(), is(notNullValue()));
        assertThat(usage.pinnedEvents(), greaterThanOrEqualTo(0L));
        assertThat("no pid, no /proc figures", usage.cpuSeconds(), is(nullValue()));
    }

    @Test
    void anAbsentProcessOrServerGivesNullsNotFailures() throws Exception {
        long noSuchPid = Long.MAX_VALUE;
        ServerStats stats = ServerStats.start(noSuchPid, Target.of("http://127.0.0.1:1/"), deadline());
        ServerStats.Usage usage = stats.stop();
        assertThat(usage, is(new ServerStats.Usage(null, null, null, null, null, null)));
    }

    @Test
    void parsesProcFormats() {
        assertThat(ServerStats.kilobytes("123456 kB"), is(123456L * 1024));
        assertThat(ServerStats.kilobytes("12"), is(nullValue()));
        assertThat(ServerStats.cpuTicks(ProcessHandle.current().pid()), greaterThan(0L));
    }
}
