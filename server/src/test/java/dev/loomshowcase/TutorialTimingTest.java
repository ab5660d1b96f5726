package dev.loomshowcase;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Burst;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * The tutorials' timings, as their readers see them: async calls overlap and sync ones queue.
 * Time bounds, so this class runs alone (their shapes: TutorialRoutesTest).
 */
@ServerTest(pinningDetection = true)
class TutorialTimingTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
        // One request of each route before the bursts: concurrent first requests wait for one
        // another's class loading pinned (see SleepBurstTest), which pinning detection fails.
        SHOWCASE.get("/async-delay/0");
        SHOWCASE.get("/sync-delay/0");
    }

    @Test
    void performanceAsyncIsAboutOneSecondAndSyncAboutThree() {
        Reply async = SHOWCASE.get("/performance/async");
        Reply sync = SHOWCASE.get("/performance/sync");
        assertThat(async.json().getString("type"), is("async"));
        assertThat(sync.json().getString("type"), is("sync"));
        long asyncMs = async.json().getJsonNumber("elapsedMs").longValue();
        long syncMs = sync.json().getJsonNumber("elapsedMs").longValue();
        assertThat("three 1 s calls at once take about 1 s: " + asyncMs, asyncMs, lessThan(2_000L));
        assertThat("one after another about 3 s: " + syncMs, syncMs, greaterThanOrEqualTo(3_000L));
    }

    @Test
    void asyncDelaysOverlapAndSyncDelaysQueue() throws Exception {
        // The tutorial's exercise: two tabs. Here three requests at once.
        Burst async = SHOWCASE.burst(3, "/async-delay/1");
        Burst sync = SHOWCASE.burst(3, "/sync-delay/1");
        assertThat(async.failures() + sync.failures(), is(0L));
        assertThat("async delays overlap: " + async.makespanMs(), async.makespanMs(), lessThan(2_500L));
        assertThat("sync delays queue on the blocked loop: " + sync.makespanMs(), sync.makespanMs(),
                greaterThanOrEqualTo(3_000L));
    }
}
