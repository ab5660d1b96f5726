package dev.loomshowcase;

import java.util.Map;

import dev.loomshowcase.support.LocalMachine;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Every outbound call has a timeout: an upstream slower than the read timeout ends as a 504,
 * an unreachable one as a 502, both quickly and as problem+json, in every style.
 */
class UpstreamFailureTest {

    private static final RunningShowcase SLOW_UPSTREAM = RunningShowcase.with(Map.of(
            "upstream.read-timeout-ms", "500"));
    private static final RunningShowcase NO_UPSTREAM = RunningShowcase.with(Map.of(
            "upstream.base-uri", "http://127.0.0.1:" + LocalMachine.freePort() + "/"));

    @AfterAll
    static void stop() {
        SLOW_UPSTREAM.close();
        NO_UPSTREAM.close();
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

    @ParameterizedTest(name = "/http/{0} with the upstream down is 502")
    @ValueSource(strings = {"virtual", "reactive"})
    void unreachableUpstreamIs502(String style) {
        Reply reply = NO_UPSTREAM.get("/http/" + style + "?ms=10");
        assertThat(reply.body(), reply.status(), is(502));
        assertThat(reply.contentType(), containsString("application/problem+json"));
    }

    @org.junit.jupiter.api.Test
    void aFailedUpstreamCallIsLoggedInOneLineWithItsCause() {
        java.util.List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(Showcase.class.getName());
        logger.addHandler(handler);
        try {
            assertThat(NO_UPSTREAM.get("/http/virtual?ms=10").status(), is(502));
            assertThat(NO_UPSTREAM.get("/sleep/platform?ms=-1").status(), is(400));
        } finally {
            logger.removeHandler(handler);
        }
        var lines = records.stream().map(java.util.logging.LogRecord::getMessage).toList();
        assertThat("one line for the 502, none for the 400: " + lines, lines.size(), is(1));
        assertThat(lines.getFirst(), containsString("GET /http/virtual → 502: "));
        assertThat("the cause is named", lines.getFirst(), containsString("Exception"));
        assertThat("no stack trace in the record", records.getFirst().getThrown() == null, is(true));
    }
}
