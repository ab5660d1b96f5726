package dev.loomshowcase;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Burst;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The headline lesson as ratios between styles (absolute timings belong in compare/): the same
 * sleeps overlap on virtual threads, queue behind a pool of 10 platform threads, overlap in a
 * non-blocking pipeline, and serialise on a blocked event loop.
 */
@ServerTest(pinningDetection = true)
class SleepBurstTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void warmUp(RunningShowcase showcase) throws Exception {
        SHOWCASE = showcase;
        // First requests pay for class loading and JIT; keep that out of the comparison. One request
        // of each style first: concurrent first requests wait for one another's class loading pinned
        // (JDK 25, "Contended monitor enter" in BuiltinClassLoader.loadClassOrNull, 30 ms once in CI).
        for (String style : new String[] {"virtual", "reactive", "platform", "eventloop-blocked"}) {
            SHOWCASE.get("/sleep/" + style + "?ms=1");
        }
        SHOWCASE.burst(40, "/sleep/virtual?ms=1");
        SHOWCASE.burst(10, "/sleep/reactive?ms=1");
        SHOWCASE.burst(10, "/sleep/platform?ms=1");
    }

    @Test
    void platformPoolOfTenIsAtLeastThreeTimesSlowerThanVirtualFor40Sleeps() throws Exception {
        Burst virtual = SHOWCASE.burst(40, "/sleep/virtual?ms=300");
        Burst platform = SHOWCASE.burst(40, "/sleep/platform?ms=300");
        assertThat("no request may fail", virtual.failures() + platform.failures(), is(0L));
        assertThat("40 sleeps on a pool of 10 run in 4 rounds; on virtual threads in one: platform "
                        + platform.makespanMs() + " ms vs virtual " + virtual.makespanMs() + " ms",
                platform.makespanMs(), greaterThanOrEqualTo(3 * virtual.makespanMs()));
    }

    @Test
    void reactiveIsWithinTwiceVirtual() throws Exception {
        Burst virtual = SHOWCASE.burst(40, "/sleep/virtual?ms=300");
        Burst reactive = SHOWCASE.burst(40, "/sleep/reactive?ms=300");
        assertThat("no request may fail", virtual.failures() + reactive.failures(), is(0L));
        assertThat("a non-blocking pipeline overlaps the sleeps too: reactive " + reactive.makespanMs()
                        + " ms vs virtual " + virtual.makespanMs() + " ms",
                reactive.makespanMs(), lessThanOrEqualTo(2 * Math.max(virtual.makespanMs(), 300)));
    }

    @Test
    void blockedEventLoopSerialisesTenRequests() throws Exception {
        long one = SHOWCASE.burst(1, "/sleep/eventloop-blocked?ms=200").makespanMs();
        Burst ten = SHOWCASE.burst(10, "/sleep/eventloop-blocked?ms=200");
        assertThat("no request may fail", ten.failures(), is(0L));
        assertThat("10 blocking sleeps on one event loop run one after another: 10 took " + ten.makespanMs()
                + " ms, one took " + one + " ms", ten.makespanMs(), greaterThanOrEqualTo(5 * one));
    }
}
