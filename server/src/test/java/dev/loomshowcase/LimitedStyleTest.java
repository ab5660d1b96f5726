package dev.loomshowcase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.Scrape;
import dev.loomshowcase.support.ShowcaseClient.Burst;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The {@code limited} style: the work stays on the request's virtual thread, yet 10 permits
 * queue 40 sleeps in rounds just as a pool of 10 platform threads does; past the limit's queue
 * (30 here) or its queue timeout (2 s here) the answer is the showcase's 503 problem+json with
 * Retry-After, and the limit's meters count what happened.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings({"app.limited.permits=10", "app.limited.queue-length=30", "app.limited.queue-timeout=PT2S"})
class LimitedStyleTest {

    private static final String STYLE = "style=\"limited\"";

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void warmUp(RunningShowcase showcase) throws Exception {
        SHOWCASE = showcase;
        // One request alone first: the first connections of a JVM initialise Helidon's
        // io.helidon.http.DateTime, and 40 at once would wait for that initialiser pinned (JDK 25
        // pins a wait for another thread's <clinit>), which the pinning detection reports.
        SHOWCASE.get("/whoami");
        // First requests pay for class loading and JIT; keep that out of the comparison.
        SHOWCASE.burst(40, "/sleep/virtual?ms=1");
        SHOWCASE.burst(10, "/sleep/limited?ms=1");
        SHOWCASE.burst(10, "/sleep/platform?ms=1");
    }

    @Test
    void fortySleepsOnTenPermitsRunInRoundsLikeThePlatformPoolButOnVirtualThreads() throws Exception {
        long admittedBefore = admitted();
        Burst virtual = SHOWCASE.burst(40, "/sleep/virtual?ms=300");
        Burst limited = SHOWCASE.burst(40, "/sleep/limited?ms=300");
        Burst platform = SHOWCASE.burst(40, "/sleep/platform?ms=300");
        assertThat("no request may fail: " + limited.replies(), virtual.failures() + limited.failures() + platform.failures(),
                is(0L));
        String times = "limited " + limited.makespanMs() + " ms, platform " + platform.makespanMs() + " ms, virtual "
                + virtual.makespanMs() + " ms";
        assertThat("40 sleeps under 10 permits run in 4 rounds, on virtual threads in one: " + times,
                limited.makespanMs(), greaterThanOrEqualTo(3 * virtual.makespanMs()));
        assertThat("10 permits cap like a pool of 10 threads: " + times,
                limited.makespanMs(), allOf(greaterThanOrEqualTo(platform.makespanMs() / 2),
                        lessThanOrEqualTo(2 * platform.makespanMs())));

        long longestWait = 0;
        for (Reply reply : limited.replies()) {
            JsonObject json = reply.json();
            assertThat("the work stays on the request's virtual thread", json.getBoolean("virtual"), is(true));
            assertThat(json.getString("thread"), containsString("VirtualThread"));
            assertThat(json.getString("style"), is("limited"));
            assertThat(json.getInt("permits"), is(10));
            longestWait = Math.max(longestWait, json.getJsonNumber("waitedForPermitMs").longValue());
        }
        assertThat("the fourth round waited about three sleeps for its permits", longestWait, greaterThanOrEqualTo(450L));
        assertThat("every admitted request is timed", admitted() - admittedBefore, is(40L));
    }

    @Test
    void pastTheQueueTheRefusalsAre503ProblemJsonWithRetryAfter() throws Exception {
        long refusedBefore = rejected("queue-full");
        // 10 run, 30 wait, the rest find the queue full.
        Burst burst = SHOWCASE.burst(60, "/sleep/limited?ms=300");
        List<Reply> refused = burst.replies().stream().filter(r -> r.status() != 200).toList();
        assertThat("10 permits + 30 in the queue are admitted (a racing few more, never fewer)",
                burst.replies().size() - refused.size(), greaterThanOrEqualTo(40));
        assertThat("the rest are refused", refused.size(), allOf(greaterThan(0), lessThanOrEqualTo(20)));
        for (Reply reply : refused) {
            assertThat(reply.body(), reply.status(), is(503));
            assertThat(reply.contentType(), containsString("application/problem+json"));
            assertThat("a refused client is told when to come back", reply.header("Retry-After"), is("1"));
            JsonObject problem = reply.json();
            assertThat(problem.getInt("status"), is(503));
            assertThat(problem.getString("limit"), is("limited"));
            assertThat(problem.getString("reason"), is("queue-full"));
            assertThat(problem.getInt("queueLength"), is(30));
        }
        assertThat("the refusals are counted", rejected("queue-full") - refusedBefore, is((long) refused.size()));
    }

    @Test
    void aWaitPastTheQueueTimeoutIsRefusedToo() throws Exception {
        long timedOutBefore = rejected("queue-timeout");
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Reply>> holders = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                holders.add(clients.submit(() -> SHOWCASE.get("/sleep/limited?ms=3500")));
            }
            waitFor("all 10 permits taken", () -> SHOWCASE.showcase().limited().inUse() == 10);
            assertThat("the in-use gauge reads the limit", inUse(), is(10.0));

            Reply late = SHOWCASE.get("/sleep/limited?ms=1");
            assertThat(late.body(), late.status(), is(503));
            assertThat(late.header("Retry-After"), is("1"));
            JsonObject problem = late.json();
            assertThat(problem.toString(), problem.getString("reason"), is("queue-timeout"));
            assertThat("it waited the whole queue timeout", problem.getJsonNumber("waitedForPermitMs").longValue(),
                    greaterThanOrEqualTo(2_000L));
            assertThat("the timeout is counted", rejected("queue-timeout") - timedOutBefore, is(1L));
            for (Future<Reply> holder : holders) {
                assertThat(holder.get().status(), is(200));
            }
        }
        assertThat("every permit is back", SHOWCASE.showcase().limited().inUse(), is(0));
    }

    /** Requests let in, as GET /observe/metrics says. */
    private static long admitted() {
        return (long) Scrape.of(SHOWCASE).value("showcase_limit_admitted_total", STYLE);
    }

    private static long rejected(String reason) {
        return (long) Scrape.of(SHOWCASE).value("showcase_limit_rejected_total", STYLE, "reason=\"" + reason + "\"");
    }

    private static double inUse() {
        return Scrape.of(SHOWCASE).value("showcase_limit_in_use", STYLE);
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat("timed out waiting until " + what, System.nanoTime() < deadline, is(true));
            Thread.sleep(5);
        }
    }
}
