package dev.loomshowcase;

import java.math.BigInteger;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * Each style runs the work where it says it does: the response's thread is the evidence.
 */
@ServerTest(pinningDetection = true)
@RunsBesideOthers
class StylesTest {

    private final RunningShowcase showcase;

    StylesTest(RunningShowcase showcase) {
        this.showcase = showcase;
    }

    @ParameterizedTest(name = "{0} runs on a thread named like {2} (virtual={1})")
    @CsvSource({
            "/sleep/virtual?ms=10,             true,  VirtualThread",
            "/sleep/platform?ms=10,            false, platform-pool-",
            "/sleep/limited?ms=10,             true,  VirtualThread",
            "/sleep/reactive?ms=10,            false, Thread[",
            "/sleep/eventloop-blocked?ms=10,   false, event-loop-1",
            "/http/virtual?ms=10,              true,  VirtualThread",
            "/http/platform?ms=10,             false, platform-pool-",
            "/http/limited?ms=10,              true,  VirtualThread",
            "/db/limited?ms=10,                true,  VirtualThread",
            "/http/reactive?ms=10,             false, Thread[",
            "/http/eventloop-blocked?ms=10,    false, event-loop-1",
            "/fanout/sequential?calls=2&ms=10, true,  VirtualThread",
            "/fanout/structured?calls=2&ms=10, true,  VirtualThread",
            "/fanout/futures?calls=2&ms=10,    false, Thread[",
            "/cpu/virtual?n=1000,              true,  VirtualThread",
            "/cpu/yielding?n=1000,             true,  VirtualThread",
            "/cpu/platform?n=1000,             false, cpu-pool-"
    })
    void workRunsWhereTheStyleSays(String path, boolean virtual, String threadName) {
        Reply reply = showcase.get(path);
        assertThat(reply.body(), reply.status(), is(200));
        JsonObject json = reply.json();
        assertThat("virtual flag of " + path, json.getBoolean("virtual"), is(virtual));
        assertThat("thread of " + path, json.getString("thread"), containsString(threadName));
        assertThat(json.getString("scenario") + "/" + json.getString("style"), "/" + json.getString("scenario")
                + "/" + json.getString("style"), is(path.substring(0, path.indexOf('?'))));
    }

    @Test
    void sleepReportsTheTimeItTookMeasuredInTheServer() {
        JsonObject json = showcase.get("/sleep/virtual?ms=200").json();
        assertThat("elapsedMs must cover the sleep", json.getJsonNumber("elapsedMs").longValue(), greaterThanOrEqualTo(200L));
        assertThat(json.getJsonObject("result").getJsonNumber("ms").longValue(), is(200L));
    }

    @Test
    void cpuWorkReturnsTheSumSoTheLoopCannotBeDropped() {
        // sum of i*i for i < 1000 = 999*1000*1999/6
        for (String style : new String[] {"virtual", "yielding", "platform", "parallel"}) {
            JsonObject result = showcase.get("/cpu/" + style + "?n=1000").json().getJsonObject("result");
            assertThat(style + " must compute the same sum", result.getJsonNumber("sumOfSquares").bigIntegerValueExact(),
                    is(BigInteger.valueOf(332_833_500L)));
        }
    }

    @Test
    void whoamiRunsOnAVirtualThread() {
        JsonObject json = showcase.get("/whoami").json();
        assertThat("handlers must run on a virtual thread", json.getBoolean("virtual"), is(true));
        assertThat("a virtual thread names its carrier", json.getString("thread"), containsString("ForkJoinPool"));
    }
}
