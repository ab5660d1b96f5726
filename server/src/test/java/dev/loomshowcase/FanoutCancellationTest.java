package dev.loomshowcase;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.Scrape;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What each fan-out does to its other calls when one fails, measured at the upstream mock
 * ({@code GET /delay/in-flight}): 5 calls of 5 s, one failing at once. A call still open after
 * the failure answer would be unmistakable: it would stay open for seconds. The concurrent styles
 * close the other calls' connections (the mock sees their callers gone, through the kernel's TCP
 * table), yet the mock keeps waiting on them: HTTP/1.1 cannot tell a server to stop, and the
 * problem's detail says both. The sequential style never makes the remaining calls.
 */
@Timeout(120)
@ServerTest(pinningDetection = true)
class FanoutCancellationTest {

    private static final Duration SOON = Duration.ofSeconds(2);

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private static JsonObject inFlight() {
        Reply reply = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.upstreamUri("/delay/in-flight")));
        assertThat(reply.body(), reply.status(), is(200));
        return reply.json();
    }

    /** The previous test's 5 s calls have ended at the mock, so its counts start from nothing. */
    @BeforeEach
    void noCallWaitsAtTheUpstream() {
        Scrape.await("the upstream mock waits on no call", Duration.ofSeconds(15),
                () -> inFlight().getInt("waiting") == 0);
    }

    @ParameterizedTest(name = "{0}: the other calls' connections are closed at once; the upstream keeps waiting")
    @CsvSource(delimiter = '|', value = {
            "structured | the scope interrupted the other calls, and each interrupted HttpClient.send closed its connection",
            "futures    | cancel(true) on the other sendAsync futures closed their connections",
            "platform   | the other pool tasks were cancelled with an interrupt: the running ones closed their connections"})
    void concurrentStylesCloseTheOtherCalls(String style, String says) {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "the mock reads closed connections from Linux's TCP table");
        long before = inFlight().getJsonNumber("received").longValue();

        Reply reply = SHOWCASE.get("/fanout/" + style + "?calls=5&ms=5000&fail=3");
        assertThat(reply.body(), reply.status(), is(502));
        assertThat(reply.json().getInt("failedCall"), is(3));
        String detail = reply.json().getString("detail");
        assertThat(detail, containsString(says));
        assertThat(detail, containsString("(the upstream may still be working on them)"));
        assertThat("the failure ends the request at once: " + reply.elapsedMs() + " ms", reply.elapsedMs(), lessThan(3_000L));

        // The showcase's side: every other call's connection is closed, and it counts none open.
        Scrape.await(style + ": every call the mock waits on has lost its caller", SOON, () -> {
            JsonObject now = inFlight();
            return now.getInt("waiting") > 0 && now.getInt("callersGone") == now.getInt("waiting");
        });
        Scrape.await(style + ": the showcase counts no upstream call open", SOON,
                () -> Scrape.of(SHOWCASE).value("showcase_upstream_in_flight") == 0);

        // The upstream's side: it still waits on every other call it received (5 s each), unaware.
        JsonObject after = inFlight();
        long others = after.getJsonNumber("received").longValue() - before - 1;
        System.out.println(style + " after the failure: " + after + ", other calls received: " + others);
        assertThat("at most the 4 other calls: " + after, others, lessThanOrEqualTo(4L));
        assertThat("the upstream still waits on the other calls it received: " + after,
                (long) after.getInt("waiting"), is(others));
    }

    @Test
    void sequentialNeverMakesTheRemainingCalls() {
        long before = inFlight().getJsonNumber("received").longValue();
        Reply reply = SHOWCASE.get("/fanout/sequential?calls=5&ms=5000&fail=1");
        assertThat(reply.body(), reply.status(), is(502));
        assertThat(reply.json().getString("detail"), containsString("the remaining calls were never made"));
        // Once the answer is here the request's thread has returned: nothing can still send a call.
        JsonObject after = inFlight();
        assertThat("only call 1 reached the upstream: " + after,
                after.getJsonNumber("received").longValue() - before, is(1L));
        assertThat(after.getInt("waiting"), is(0));
    }

    @Test
    void inFlightCountsAWaitingCallAndItsCallerStillThere() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "callersGone needs Linux's TCP table");
        var call = java.util.concurrent.CompletableFuture.supplyAsync(() -> SHOWCASE.get("/http/virtual?ms=1500"));
        Scrape.await("the mock waits on the call", SOON, () -> inFlight().getInt("waiting") == 1);
        assertThat("its caller is still there", inFlight().getInt("callersGone"), is(0));
        assertThat(call.get().status(), is(200));
        assertThat(inFlight().getInt("waiting"), is(0));
        assertThat(inFlight().getJsonNumber("received").longValue(), greaterThan(0L));
    }
}
