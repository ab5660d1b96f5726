package dev.loomshowcase;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;
import dev.loomshowcase.web.ErrorAnswers;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * An unreachable upstream ends a call as a 502 problem+json, and the failure is logged once,
 * in one line with its cause. The upstream named is port 1 of the loopback (tcpmux, a port no
 * service here uses; a setting is a constant, so not a free port found at run time): refused at once.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings("upstream.base-uri=http://127.0.0.1:1/")
@RunsBesideOthers
class UnreachableUpstreamTest {

    private static RunningShowcase NO_UPSTREAM;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        NO_UPSTREAM = showcase;
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
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(ErrorAnswers.class.getName());
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
