package dev.loomshowcase;

import java.net.Socket;
import java.time.Duration;

import dev.loomshowcase.support.RawHttp;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A keep-alive connection's idle time counts from its last answer, not from its last request:
 * Helidon 4.5.0 counts an HTTP/1.1 connection's from the request, so one whose request ran past
 * {@code idle-connection-timeout} was closed right after its answer, and the client's next
 * request on it (sent at once, as httpx and the JDK client do) met a closed socket. With an idle
 * timeout of 1 s here, a 1.5 s sleep must leave its connection open for the next request, and a
 * connection that then sends nothing must still be closed; on the upstream mock's socket too.
 */
@RunsBesideOthers
@ServerTest(pinningDetection = true)
@ShowcaseSettings({"server.idle-connection-timeout=PT1S", "server.idle-connection-period=PT0.2S",
        "upstream.socket.idle-connection-timeout=PT1S", "upstream.socket.idle-connection-period=PT0.2S"})
class IdleConnectionTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @Test
    void aRequestLongerThanTheIdleTimeoutLeavesItsConnectionOpenForTheNext() throws Exception {
        aSlowRequestThenTheNextOnTheSameConnection(SHOWCASE.uri("/").getPort(), "/sleep/virtual?ms=1500", "/whoami");
    }

    /** The upstream mock's socket too: a /delay longer than its idle timeout (here 1 s, by default 60 s). */
    @Test
    void theUpstreamSocketCountsFromTheLastAnswerToo() throws Exception {
        aSlowRequestThenTheNextOnTheSameConnection(SHOWCASE.upstreamUri("/").getPort(), "/delay?ms=1500", "/delay?ms=0");
    }

    private static void aSlowRequestThenTheNextOnTheSameConnection(int port, String slowPath, String nextPath) throws Exception {
        try (Socket connection = RawHttp.connect(port)) {
            RawHttp.write(connection, "GET " + slowPath + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttp.Answer slow = RawHttp.readAnswer(connection, Duration.ofSeconds(20));
            assertThat(slow.text(), slow.status(), is(200));
            RawHttp.write(connection, "GET " + nextPath + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawHttp.Answer next = RawHttp.readAnswer(connection, Duration.ofSeconds(20));
            assertThat("the next request on the same connection: " + next.text(), next.closed(), is(false));
            assertThat(next.text(), next.status(), is(200));
            // Quiet from here: the idle timeout still ends it (within a few seconds, not never).
            assertThat(RawHttp.readUntilClosed(connection, Duration.ofSeconds(10)).closed(), is(true));
        }
    }
}
