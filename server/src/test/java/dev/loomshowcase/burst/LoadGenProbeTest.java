package dev.loomshowcase.burst;

import dev.loomshowcase.support.RunningShowcase;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * The {@link SideProbe} shows what a load does to everybody else. Four CPU-bound requests on
 * virtual threads hold both carriers (the tests run with parallelism 2) and a {@code /whoami}
 * waits for one for most of a second; the same work on the CPU pool of platform threads leaves
 * the carriers free and the probe fast.
 */
@Timeout(120)
@ServerTest(pinningDetection = true)
class LoadGenProbeTest {

    private static RunningShowcase SHOWCASE;
    /** About 1 s of work each on this machine kind: 4 of them keep 2 carriers busy for about 2 s. */
    private static final String CPU_N = "3000000000";

    static Options probed(String pathAndQuery) {
        return Options.of(Target.of(SHOWCASE.uri(pathAndQuery).toString()))
                .withProbe(Target.of(SHOWCASE.uri("/whoami").toString()));
    }

    @BeforeAll
    static void warmUp(RunningShowcase showcase) throws Exception {
        SHOWCASE = showcase;
        // JIT the loop and /whoami first, or the first run measures the compiler.
        Burst.run(probed("/cpu/virtual?n=200000000"), 2);
        Burst.run(probed("/cpu/platform?n=200000000"), 2);
    }

    @Test
    void cpuBoundWorkOnVirtualThreadsStarvesTheProbe() throws Exception {
        Measurement report = Burst.run(probed("/cpu/virtual?n=" + CPU_N), 4);
        System.out.println(report);
        assertThat("errors " + report.errors(), report.errorCount(), is(0L));
        assertThat(report.probe().probes(), greaterThan(0L));
        assertThat("a /whoami waits for a carrier: probe p99 " + report.probe().latency().p99() + " ms during a "
                        + report.makespanMs() + " ms burst",
                report.probe().latency().p99(), greaterThanOrEqualTo(500.0));
    }

    @Test
    void theSameWorkOnThePlatformPoolLeavesTheProbeFast() throws Exception {
        Measurement report = Burst.run(probed("/cpu/platform?n=" + CPU_N), 4);
        System.out.println(report);
        assertThat("errors " + report.errors(), report.errorCount(), is(0L));
        assertThat("the burst did take a while: " + report.makespanMs() + " ms", report.makespanMs(), greaterThan(500.0));
        assertThat("probes during the burst", report.probe().probes(), greaterThanOrEqualTo(5L));
        assertThat("carriers stay free: probe p99 " + report.probe().latency().p99() + " ms",
                report.probe().latency().p99(), lessThan(300.0));
    }
}
