package dev.loomshowcase;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Fan-out: concurrent calls take about the slowest call, sequential ones the sum; a failing
 * call ends the request with a clear 502 that names it, and never hangs.
 */
@ServerTest(pinningDetection = true)
class FanoutTest {

    private final RunningShowcase showcase;

    FanoutTest(RunningShowcase showcase) {
        this.showcase = showcase;
    }

    @Test
    void structuredTakesLessThanHalfOfSequential() {
        showcase.get("/fanout/structured?calls=5&ms=1"); // warm-up
        Reply sequential = showcase.get("/fanout/sequential?calls=5&ms=300");
        Reply structured = showcase.get("/fanout/structured?calls=5&ms=300");
        assertThat(sequential.body(), sequential.status(), is(200));
        assertThat(structured.body(), structured.status(), is(200));
        long seq = sequential.json().getJsonNumber("elapsedMs").longValue();
        long par = structured.json().getJsonNumber("elapsedMs").longValue();
        assertThat("5 calls of 300 ms: structured " + par + " ms must be under half of sequential " + seq + " ms",
                2 * par, lessThan(seq));
        assertThat(structured.json().getJsonObject("result").getInt("sumOfUpstreamMs"), is(1500));
    }

    @ParameterizedTest(name = "{0}: a failing call is reported and the others do not hold the request")
    @ValueSource(strings = {"structured", "futures"})
    void aFailingCallCancelsTheOthers(String style) {
        Reply reply = showcase.get("/fanout/" + style + "?calls=5&ms=5000&fail=3");
        assertThat(reply.body(), reply.status(), is(502));
        assertThat(reply.contentType(), containsString("application/problem+json"));
        JsonObject problem = reply.json();
        assertThat("the problem names the failed call", problem.getInt("failedCall"), is(3));
        assertThat(problem.getString("detail"), containsString("Call 3 of 5 failed"));
        assertThat("the other four 5 s calls were cancelled, not awaited: took " + reply.elapsedMs() + " ms",
                reply.elapsedMs(), lessThan(3_000L));
    }

    @Test
    void sequentialStopsAtTheFailingCall() {
        Reply reply = showcase.get("/fanout/sequential?calls=4&ms=10&fail=2");
        assertThat(reply.status(), is(502));
        assertThat(reply.json().getString("detail"), containsString("never made"));
    }

    @Test
    void platformReportsTheFailingCall() {
        Reply reply = showcase.get("/fanout/platform?calls=3&ms=10&fail=1");
        assertThat(reply.status(), is(502));
        assertThat(reply.json().getInt("failedCall"), is(1));
    }

    @Test
    void failMustNameOneOfTheCalls() {
        Reply reply = showcase.get("/fanout/structured?calls=2&fail=3");
        assertThat(reply.status(), is(400));
        assertThat(reply.json().getString("parameter"), is("fail"));
    }
}
