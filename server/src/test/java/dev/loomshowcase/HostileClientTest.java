package dev.loomshowcase;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.loomshowcase.support.RawHttp;
import dev.loomshowcase.support.RawHttp.Answer;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.StillServing;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/**
 * Clients that make mistakes, or mean harm, over raw sockets on both sockets: every mistake is
 * answered with a 4xx (problem+json where a body is possible) or a clean close, at once, never
 * a 500 or a wait for input that will not come. After each test the server still answers
 * {@code /whoami} within 100 ms.
 */
@ServerTest(pinningDetection = true)
// Short deadlines, so that the tests of a stalled sender take seconds; application.yaml has 10 s each.
@ShowcaseSettings({"app.read-deadlines.headers=PT1S", "app.read-deadlines.body-idle=PT1S",
        "server.idle-connection-timeout=PT2S", "server.idle-connection-period=PT0.25S",
        "upstream.socket.idle-connection-timeout=PT2S", "upstream.socket.idle-connection-period=PT0.25S"})
class HostileClientTest {

    /** "At once": on loopback an answer takes milliseconds; this leaves room for a loaded machine. */
    private static final Duration AT_ONCE = Duration.ofSeconds(3);
    /** The deadlines above, and how long past them a stalled connection may stay open (the checks' period, a loaded machine). */
    private static final Duration READ_DEADLINE = Duration.ofSeconds(1);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration LATE = Duration.ofSeconds(3);

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @AfterEach
    void theServerStillAnswersQuickly() {
        StillServing.assertWhoamiWithin100Ms(SHOWCASE);
    }

    private static int port(String socket) {
        return socket.equals("main") ? SHOWCASE.showcase().port() : SHOWCASE.showcase().upstreamPort();
    }

    private static String path(String socket) {
        return socket.equals("main") ? "/users" : "/runpod/run";
    }

    /** A 4xx with a problem+json body, and the connection closed: nothing more will be read from it. */
    private static void assertRefused(Answer answer, int status) {
        assertThat(answer.text(), answer.status(), is(status));
        assertThat(answer.text(), answer.header("content-type"), is("application/problem+json"));
        assertThat(answer.body(), allOf(containsString("\"status\":" + status), not(containsString("Exception"))));
        assertThat("closed after the refusal: " + answer.text(), answer.closed(), is(true));
    }

    @ParameterizedTest(name = "{0} socket")
    @ValueSource(strings = {"main", "upstream"})
    void aBadMethodTokenIs400(String socket) throws IOException {
        Answer answer = RawHttp.exchange(port(socket), "G@T / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", AT_ONCE);
        assertRefused(answer, 400);
    }

    static Stream<Arguments> badChunks() {
        return Stream.of("main", "upstream").flatMap(socket -> Stream.of(
                Arguments.of(socket, "not hex", "zz\r\n{}\r\n0\r\n\r\n"),
                Arguments.of(socket, "negative", "-5\r\n{}\r\n0\r\n\r\n"),
                Arguments.of(socket, "20 digits", "12345678901234567890\r\n{}\r\n0\r\n\r\n"),
                Arguments.of(socket, "too long for a long", "fffffffffffffffffffff\r\n{}\r\n0\r\n\r\n"),
                Arguments.of(socket, "shorter than its data", "2\r\n{}{}{}\r\n0\r\n\r\n")));
    }

    @ParameterizedTest(name = "{0} socket, chunk size {1}")
    @MethodSource("badChunks")
    void badChunkFramingIs400(String socket, String what, String body) throws IOException {
        Answer answer = RawHttp.exchange(port(socket), "POST " + path(socket) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + body, AT_ONCE);
        assertRefused(answer, 400);
    }

    @ParameterizedTest(name = "{0} socket")
    @ValueSource(strings = {"main", "upstream"})
    void aNegativeContentLengthIs400(String socket) throws IOException {
        Answer answer = RawHttp.exchange(port(socket), "POST " + path(socket) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: -5\r\n\r\n{}", AT_ONCE);
        assertRefused(answer, 400);
    }

    @Test
    void anAbsurdContentLengthOnAJsonRouteIs413AtOnce() throws IOException {
        Answer answer = RawHttp.exchange(port("main"), "POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 9223372036854775807\r\n\r\n{\"email\":", AT_ONCE);
        assertRefused(answer, 413);
    }

    @Test
    void aBodyCutShortByAHalfCloseIs400() throws IOException {
        try (Socket connection = RawHttp.connect(port("main"))) {
            RawHttp.write(connection, "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 100\r\n\r\n0123456789");
            connection.shutdownOutput();
            Answer answer = RawHttp.readUntilClosed(connection, AT_ONCE);
            assertRefused(answer, 400);
        }
    }

    @ParameterizedTest(name = "status {0}")
    @ValueSource(ints = {204, 205, 304})
    void delayAnswersStatusesWithoutABodyWithoutOne(int status) throws IOException {
        Answer answer = RawHttp.exchange(port("upstream"), "GET /delay?status=" + status + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n", AT_ONCE);
        assertThat(answer.text(), answer.status(), is(status));
        assertThat("no body: " + answer.text(), answer.body(), is(""));
        assertThat(answer.closed(), is(true));
    }

    @ParameterizedTest(name = "{0} socket")
    @ValueSource(strings = {"main", "upstream"})
    void anHttp09RequestIsRefusedAtOnce(String socket) throws IOException {
        Answer answer = RawHttp.exchange(port(socket), "GET /\r\n", AT_ONCE);
        assertThat("a 400 or a close at once: " + answer.text(), answer.closed(), is(true));
        assertThat(answer.text(), answer.status() == 0 || answer.status() == 400, is(true));
    }

    @ParameterizedTest(name = "{0} socket")
    @ValueSource(strings = {"main", "upstream"})
    void aTlsClientHelloOnThePlainPortIsRefusedAtOnce(String socket) throws IOException {
        Answer answer = RawHttp.exchange(port(socket), CLIENT_HELLO, AT_ONCE);
        assertThat("a 400 or a close at once: " + answer.text(), answer.closed(), is(true));
        assertThat(answer.text(), answer.status() == 0 || answer.status() == 400, is(true));
    }

    /** Sends {@code start}, then one more byte of {@code trickle} every {@code pause}, until the server closes. */
    private static long secondsUntilClosed(Socket connection, String start, String trickle, Duration pause, Duration within)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        RawHttp.write(connection, start);
        for (int i = 0; System.nanoTime() - started < within.toNanos(); i++) {
            Answer answer = RawHttp.readUntilClosed(connection, pause);
            if (answer.closed()) {
                assertThat("closed without serving it: " + answer.text(), answer.status() == 0 || answer.status() == 408,
                        is(true));
                return (System.nanoTime() - started) / 1_000_000_000;
            }
            try {
                RawHttp.write(connection, String.valueOf(trickle.charAt(i % trickle.length())));
            } catch (IOException closedWhileWriting) {
                return (System.nanoTime() - started) / 1_000_000_000;
            }
        }
        return Long.MAX_VALUE;
    }

    @ParameterizedTest(name = "{0} socket")
    @ValueSource(strings = {"main", "upstream"})
    void aTricklingRequestLineIsClosedWithinTheIdleTimeoutAndWhoamiStaysFast(String socket) throws Exception {
        // Many at once, as a slowloris attack sends them; each keeps sending a byte a while.
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket connection = RawHttp.connect(port(socket));
                RawHttp.write(connection, "GET /who");
                slow.add(connection);
            }
            theServerStillAnswersQuickly();
            long seconds = secondsUntilClosed(slow.getFirst(), "", "aaaaaaaa", Duration.ofMillis(200),
                    IDLE_TIMEOUT.plus(LATE));
            assertThat("a request line trickled byte by byte is closed within the idle timeout", seconds,
                    lessThan(IDLE_TIMEOUT.plus(LATE).toSeconds()));
            for (Socket connection : slow) {
                assertThat("every slow connection closed", RawHttp.readUntilClosed(connection, LATE).closed(), is(true));
            }
        } finally {
            for (Socket connection : slow) {
                connection.close();
            }
        }
    }

    @Test
    void connectionsThatSendNothingAreClosedWithinTheIdleTimeout() throws Exception {
        // A showcase of its own, wired as Main wires it: Helidon's test harness adds the main socket's
        // connection selector twice, and with two a connection waits for its first byte before Helidon
        // tracks it, where no idle timeout reaches it.
        try (RunningShowcase own = RunningShowcase.with(Map.of("server.idle-connection-timeout", "PT2S",
                "server.idle-connection-period", "PT0.25S", "upstream.socket.idle-connection-timeout", "PT2S",
                "upstream.socket.idle-connection-period", "PT0.25S"))) {
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    idle.add(RawHttp.connect(i % 2 == 0 ? own.showcase().port() : own.showcase().upstreamPort()));
                }
                for (Socket connection : idle) {
                    assertThat("an idle connection is closed", RawHttp.readUntilClosed(connection, IDLE_TIMEOUT.plus(LATE))
                            .closed(), is(true));
                }
            } finally {
                for (Socket connection : idle) {
                    connection.close();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} socket")
    @ValueSource(strings = {"main", "upstream"})
    void tricklingHeadersAreClosedWithinTheHeaderDeadline(String socket) throws Exception {
        try (Socket connection = RawHttp.connect(port(socket))) {
            long seconds = secondsUntilClosed(connection, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", "X-Slow: a\r\n",
                    Duration.ofMillis(100), READ_DEADLINE.plus(LATE));
            assertThat("headers trickled byte by byte are closed within the header deadline", seconds,
                    lessThan(READ_DEADLINE.plus(LATE).toSeconds()));
        }
    }

    static Stream<Arguments> bodies() {
        return Stream.of(Arguments.of("main", "POST /upload HTTP/1.1\r\nContent-Type: application/octet-stream\r\n"),
                Arguments.of("main", "POST /users HTTP/1.1\r\nContent-Type: application/json\r\n"),
                Arguments.of("upstream", "PUT /s3/hostile/stalled HTTP/1.1\r\nContent-Type: application/octet-stream\r\n"));
    }

    @ParameterizedTest(name = "{0} socket: {1}")
    @MethodSource("bodies")
    void aStalledBodyIsClosedWithinTheBodyDeadline(String socket, String requestLine) throws Exception {
        try (Socket connection = RawHttp.connect(port(socket))) {
            long started = System.nanoTime();
            // A body that promises 1 MB and sends 10 bytes.
            RawHttp.write(connection, requestLine + "Host: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n{\"email\":");
            Answer answer = RawHttp.readUntilClosed(connection, READ_DEADLINE.plus(LATE));
            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            assertThat("a body that stops is closed within its deadline: " + answer.text(), answer.closed(), is(true));
            assertThat(seconds, lessThan(READ_DEADLINE.plus(LATE).toSeconds()));
            assertThat("never served: " + answer.text(), answer.status() == 0 || answer.status() == 408, is(true));
        }
    }

    @Test
    void aBodyThatPausesWithinTheDeadlineIsServed() throws Exception {
        try (Socket connection = RawHttp.connect(port("main"))) {
            RawHttp.write(connection, "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Connection: close\r\nContent-Length: 10\r\n\r\n01234");
            Thread.sleep(READ_DEADLINE.toMillis() / 3);
            RawHttp.write(connection, "56789");
            Answer answer = RawHttp.readUntilClosed(connection, AT_ONCE);
            assertThat(answer.text(), answer.status(), is(200));
            assertThat(answer.body(), containsString("\"bytes\":10"));
        }
    }

    /** The start of a TLS 1.2 ClientHello: a record header (handshake, TLS 1.0) and a hello with a random. */
    private static final byte[] CLIENT_HELLO = HexFormat.of().parseHex(
            "16030100a5" + "010000a1" + "0303" + "00".repeat(32) + "00" + "0020" + "c02bc02fc02cc030cca9cca8c013c014"
                    + "009c009d002f0035000a00ff" + "0100" + "0058" + "00".repeat(88));
}
