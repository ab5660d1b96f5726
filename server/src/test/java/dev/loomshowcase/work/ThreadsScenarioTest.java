package dev.loomshowcase.work;

import java.util.List;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Burst;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * {@code /threads/{style}}: n threads started in one request, as ratios and bounds (the figures
 * themselves belong in compare/): all of them alive at once, a virtual thread far cheaper to
 * start than a platform one, a small heap cost per virtual thread, the bounds refused with 400,
 * and one run at a time.
 */
@ServerTest(pinningDetection = true)
class ThreadsScenarioTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
        // First runs pay for loading classes; keep that out of the comparison.
        SHOWCASE.get("/threads/virtual?n=1000&ms=1");
        SHOWCASE.get("/threads/platform?n=100&ms=1");
    }

    private static JsonObject run(String pathAndQuery) {
        Reply reply = SHOWCASE.get(pathAndQuery);
        assertThat(reply.body(), reply.status(), is(200));
        return reply.json().getJsonObject("result");
    }

    @Test
    void tenThousandVirtualThreadsAreAllAliveAtOnceAndCheap() {
        JsonObject result = run("/threads/virtual?n=10000&ms=500");
        assertThat(result.toString(), result.getInt("peakLive"), is(10_000));
        assertThat("they overlap: the makespan is about one sleep, " + result, result.getInt("makespanMs"), lessThan(2_000));
        assertThat("a parked virtual thread is a small heap object: " + result, result.getInt("heapBytesPerThread"),
                lessThan(8 * 1024));
    }

    @Test
    void theAnswerSaysWhatTheWakeUpCostOnceItCanShow() {
        JsonObject small = run("/threads/virtual?n=1000&ms=50");
        assertThat(small.toString(), small.isNull("note"), is(true));
        assertThat(small.toString(), (long) small.getInt("wakeMs"),
                is(Math.max(0, small.getInt("makespanMs") - small.getInt("startAllMs") - 50L)));
        JsonObject large = run("/threads/virtual?n=" + ThreadsScenario.NOTE_FROM_N + "&ms=50");
        assertThat(large.toString(), (long) large.getInt("wakeMs"),
                is(Math.max(0, large.getInt("makespanMs") - large.getInt("startAllMs") - 50L)));
        assertThat(large.getString("note"), containsString("delay-scheduler"));
        assertThat(large.getString("note"), containsString("waking them took " + large.getInt("wakeMs") + " ms"));
    }

    @Test
    void aPlatformThreadCostsFarMoreToStartThanAVirtualOne() {
        JsonObject virtual = run("/threads/virtual?n=5000&ms=200");
        JsonObject platform = run("/threads/platform?n=500&ms=1500"); // long enough that all 500 start before the first ends, on a busy machine too
        assertThat(platform.toString(), platform.getInt("peakLive"), is(500));
        double virtualEach = Math.max(1, virtual.getInt("startAllMs")) / 5000.0;
        double platformEach = platform.getInt("startAllMs") / 500.0;
        assertThat("starting one platform thread (an OS thread) against one virtual thread: " + platform + " vs " + virtual,
                platformEach, greaterThanOrEqualTo(5 * virtualEach));
    }

    @Test
    void theBoundsAreRefusedWithTheirReason() {
        for (String query : List.of("/threads/virtual?n=1000001", "/threads/platform?n=10001", "/threads/virtual?ms=10001")) {
            Reply reply = SHOWCASE.get(query);
            assertThat(query, reply.status(), is(400));
            assertThat(query, reply.contentType(), containsString("application/problem+json"));
        }
        assertThat(SHOWCASE.get("/threads/platform?n=10001").json().getInt("maximum"), is(10_000));
    }

    @Test
    void oneRunAtATime() throws Exception {
        Burst two = SHOWCASE.burst(2, "/threads/virtual?n=1000&ms=1500");
        List<Integer> statuses = two.replies().stream().map(Reply::status).sorted().toList();
        assertThat(statuses.toString(), statuses, is(List.of(200, 503)));
        Reply refused = two.replies().stream().filter(r -> r.status() == 503).findFirst().orElseThrow();
        assertThat(refused.header("Retry-After"), is("1"));
    }
}
