package dev.loomshowcase;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Every outbound call has a timeout: an upstream slower than the read timeout ends as a 504,
 * quickly and as problem+json, in every style. An unreachable one is {@link UnreachableUpstreamTest}'s.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings("upstream.read-timeout-ms=500")
class UpstreamFailureTest {

    private static RunningShowcase SLOW_UPSTREAM;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SLOW_UPSTREAM = showcase;
    }

    @ParameterizedTest(name = "/http/{0} past the read timeout is 504")
    @ValueSource(strings = {"virtual", "platform", "reactive", "eventloop-blocked"})
    void slowUpstreamIs504(String style) {
        Reply reply = SLOW_UPSTREAM.get("/http/" + style + "?ms=5000");
        assertThat(reply.body(), reply.status(), is(504));
        assertThat(reply.contentType(), containsString("application/problem+json"));
        assertThat(reply.json().getString("detail"), containsString("500 ms read timeout"));
        assertThat("ends at the timeout, not when the upstream answers: " + reply.elapsedMs() + " ms",
                reply.elapsedMs(), lessThan(4_000L));
    }

    @org.junit.jupiter.api.Test
    void otherRequestsAreUnaffectedWhileTheUpstreamHangs() throws Exception {
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var hanging = new java.util.ArrayList<java.util.concurrent.Future<Reply>>();
            for (int i = 0; i < 20; i++) {
                hanging.add(threads.submit(() -> SLOW_UPSTREAM.get("/http/virtual?ms=5000")));
            }
            Thread.sleep(100);
            Reply whoami = SLOW_UPSTREAM.get("/whoami");
            assertThat("a trivial request is not held up by 20 hanging upstream calls: " + whoami.elapsedMs() + " ms",
                    whoami.elapsedMs(), lessThan(500L));
            for (var call : hanging) {
                assertThat(call.get().status(), is(504));
            }
        }
    }
}
