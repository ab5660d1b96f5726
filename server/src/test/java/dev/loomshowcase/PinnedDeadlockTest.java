package dev.loomshowcase;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Burst;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * The Netflix outage in miniature: pinned handlers wait on an upstream that is served by this
 * same JVM, whose virtual threads need the very carriers the handlers hold. Nothing can move
 * until the outbound read timeout fires: the requests end as 504, never hang, and the server
 * recovers fully afterwards.
 */
// No pinning detection: this class pins the carriers on purpose (pinned-native).
@ServerTest
@ShowcaseSettings("upstream.read-timeout-ms=1000")
class PinnedDeadlockTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @Test
    void pinnedCarriersWaitingOnTheirOwnUpstreamEndIn504AndRecover() throws Exception {
        assertThat("the upstream answers when nothing is pinned", SHOWCASE.get("/http/virtual?ms=10").status(), is(200));

        // Four handlers on two carriers: the first two pin both and wait for an upstream that cannot run.
        Burst deadlocked = SHOWCASE.burst(4, "/http/pinned-native?ms=100");
        long timeouts = deadlocked.replies().stream().filter(r -> r.status() == 504).count();
        assertThat("every reply is a 504 or a success, never anything else",
                deadlocked.replies().stream().allMatch(r -> r.status() == 504 || r.status() == 200), is(true));
        assertThat("the deadlock ends in 504s", timeouts, greaterThanOrEqualTo(1L));
        Reply timedOut = deadlocked.replies().stream().filter(r -> r.status() == 504).findFirst().orElseThrow();
        assertThat(timedOut.contentType(), containsString("application/problem+json"));
        assertThat("bounded by the read timeout, not hung: " + deadlocked.makespanMs() + " ms",
                deadlocked.makespanMs(), lessThan(15_000L));

        // Recovery: the carriers are free again and everything works.
        Burst after = SHOWCASE.burst(20, "/http/virtual?ms=50");
        assertThat("the server recovered fully", after.failures(), is(0L));
        assertThat(SHOWCASE.get("/whoami").status(), is(200));
    }
}
