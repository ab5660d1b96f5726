package dev.loomshowcase;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import dev.loomshowcase.support.RawHttp;
import dev.loomshowcase.support.RawHttp.Answer;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * HTTP/1.1 framing on both sockets, over raw sockets (an HTTP client would not send these). A
 * request whose body length two servers could read differently (Content-Length with
 * Transfer-Encoding, two Content-Lengths, a coding that does not end in chunked, a negative
 * length) lets a proxy and the server disagree on where the next request starts: a second
 * request hidden in the body. Helidon 4.1.7 served such hidden requests; 4.5.0 refuses the
 * request before routing and closes the connection, and {@code ProblemDirectHandler} words the
 * refusal as problem+json. {@code Connection: close} must end the connection after the answer,
 * and nothing sent after it (nor in a body the route did not read) may run: Helidon 4.5.0 serves
 * both, so {@code web/ConnectionCloseFilter} closes. Each hidden request leaves a trace a normal
 * request can look for, and well-framed pipelined requests show that the same trace and the
 * same count of answers do appear when a second request is served.
 */
@ServerTest(pinningDetection = true)
@RunsBesideOthers
class HttpFramingTest {

    /** How long a refused connection may take to close; on loopback it closes at once. */
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(3);
    /** How long a kept-alive connection must stay open to count as open. */
    private static final Duration STAYS_OPEN = Duration.ofMillis(300);
    private static final AtomicInteger HIDDEN = new AtomicInteger();

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    /** One request's framing: its headers and body around the request hidden in it. */
    enum Framing {
        // Well framed: the second request is an honest pipelined one, and must be served.
        CONTENT_LENGTH(0) {
            @Override
            String headersAndBody(String hidden) {
                return "Content-Length: 2\r\n\r\n{}" + hidden;
            }
        },
        CHUNKED(0) {
            @Override
            String headersAndBody(String hidden) {
                return "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" + hidden;
            }
        },
        // Ambiguous: a server that picks one reading serves the hidden request; it must be refused.
        CONTENT_LENGTH_AND_CHUNKED(400) {
            @Override
            String headersAndBody(String hidden) {
                // Read as chunked, the body ends at the empty last chunk and the hidden request follows.
                String body = "0\r\n\r\n" + hidden;
                return "Content-Length: " + body.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
            }
        },
        CHUNKED_AND_CONTENT_LENGTH(400) {
            @Override
            String headersAndBody(String hidden) {
                // Read by Content-Length, the body is the chunk-size line and the chunk is the hidden request.
                String size = Integer.toHexString(hidden.length()) + "\r\n";
                return "Transfer-Encoding: chunked\r\nContent-Length: " + size.length() + "\r\n\r\n"
                        + size + hidden + "\r\n0\r\n\r\n";
            }
        },
        TWO_CONTENT_LENGTHS(400) {
            @Override
            String headersAndBody(String hidden) {
                // Read by the first length, the body is "{}" and the hidden request follows.
                return "Content-Length: 2\r\nContent-Length: " + (2 + hidden.length()) + "\r\n\r\n{}" + hidden;
            }
        },
        TWO_CONTENT_LENGTHS_IN_ONE_HEADER(400) {
            @Override
            String headersAndBody(String hidden) {
                return "Content-Length: 2, " + (2 + hidden.length()) + "\r\n\r\n{}" + hidden;
            }
        },
        UNKNOWN_TRANSFER_ENCODING(400) {
            @Override
            String headersAndBody(String hidden) {
                // A server that ignores a coding it does not know sees no body: the body is the next request.
                return "Transfer-Encoding: xchunked\r\n\r\n" + hidden;
            }
        },
        LAST_TRANSFER_ENCODING_NOT_CHUNKED(400) {
            @Override
            String headersAndBody(String hidden) {
                return "Transfer-Encoding: gzip, foo\r\n\r\n" + hidden;
            }
        },
        // RFC 9112 §6.1: a transfer coding the server does not implement (gzip) is 501, not 400.
        UNSUPPORTED_CODING_BEFORE_CHUNKED(501) {
            @Override
            String headersAndBody(String hidden) {
                return "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + hidden;
            }
        },
        NEGATIVE_CONTENT_LENGTH(400) {
            @Override
            String headersAndBody(String hidden) {
                // A server that takes -1 for "no body" reads the body as the next request.
                return "Content-Length: -1\r\n\r\n" + hidden;
            }
        };

        /** The status the request is refused with, or 0 when it is well framed. */
        final int refusal;

        Framing(int refusal) {
            this.refusal = refusal;
        }

        abstract String headersAndBody(String hidden);
    }

    /** A route on one of the two sockets that the framed request goes to. */
    record Target(String socket, String method, String path, String contentType) {

        @Override
        public String toString() {
            return socket + " " + method + " " + path;
        }
    }

    private static final List<Target> TARGETS = List.of(
            new Target("main", "POST", "/users", "application/json"),
            new Target("main", "POST", "/upload", "application/octet-stream"),
            new Target("main", "GET", "/whoami", "application/json"),
            new Target("upstream", "PUT", "/s3/framing/outer", "application/octet-stream"),
            new Target("upstream", "POST", "/runpod/run", "application/json"),
            new Target("upstream", "GET", "/delay", "application/json"));

    static Stream<Target> targets() {
        return TARGETS.stream();
    }

    static Stream<Arguments> ambiguous() {
        return cases(true);
    }

    static Stream<Arguments> wellFramed() {
        return cases(false);
    }

    private static Stream<Arguments> cases(boolean refused) {
        return Arrays.stream(Framing.values()).filter(f -> (f.refusal != 0) == refused)
                .flatMap(framing -> TARGETS.stream().map(target -> Arguments.of(framing, target)));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("ambiguous")
    void ambiguousFramingIsRefusedAndClosedAndTheHiddenRequestNeverServed(Framing framing, Target target)
            throws IOException {
        Hidden hidden = Hidden.on(target.socket());
        Answer answer = exchange(target.socket(), request(target, framing, hidden), CLOSE_WITHIN);

        assertThat("one answer only, the hidden request's would be a second: " + answer.text(),
                answer.statusLines(), is(1L));
        assertThat(answer.text(), answer.status(), is(framing.refusal));
        assertThat("the connection closes after the refusal", answer.closed(), is(true));
        assertThat(answer.text(), answer.header("content-type"), is("application/problem+json"));
        assertThat(answer.body(), containsString("\"status\":" + framing.refusal));
        assertThat("no stack trace leaks", answer.body(), not(containsString("\tat ")));
        assertThat(answer.body(), not(containsString("Exception")));
        assertThat("the hidden " + hidden.description() + " never ran", hidden.effectStatus(), is(404));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("wellFramed")
    void wellFramedPipelinedRequestIsServedToo(Framing framing, Target target) throws IOException {
        Hidden hidden = Hidden.on(target.socket());
        // The second request says Connection: close, so the server ends the connection after it.
        Answer answer = exchange(target.socket(), request(target, framing, hidden), CLOSE_WITHIN);

        assertThat("both requests answered: " + answer.text(), answer.statusLines(), is(2L));
        assertThat("the connection closes after the second answer", answer.closed(), is(true));
        assertThat("the pipelined " + hidden.description() + " ran", hidden.effectStatus(), is(200));
    }

    @ParameterizedTest(name = "{0} socket")
    @ValueSource(strings = {"main", "upstream"})
    void connectionCloseClosesAfterTheAnswer(String socket) throws IOException {
        Answer answer = exchange(socket, get(socket, "Connection: close\r\n"), CLOSE_WITHIN);

        assertThat(answer.text(), answer.statusLines(), is(1L));
        assertThat(answer.text(), answer.status(), is(200));
        assertThat("Connection: close ends the connection after the answer", answer.closed(), is(true));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"identity", "gzip"})
    void connectionCloseSendsAWholeStreamedAnswerBeforeClosing(String encoding) throws IOException {
        Answer answer = exchange("main", "GET /stream?items=3000 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: "
                + encoding + "\r\nConnection: close\r\n\r\n", CLOSE_WITHIN);

        assertThat(answer.status(), is(200));
        assertThat(answer.closed(), is(true));
        assertThat("streamed in chunks", answer.header("transfer-encoding"), is("chunked"));
        byte[] body = dechunked(answer.body());
        if (encoding.equals("gzip")) {
            assertThat(answer.header("content-encoding"), is("gzip"));
            body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
        }
        assertThat("every line arrived before the connection closed",
                new String(body, StandardCharsets.UTF_8).lines().count(), is(3000L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void connectionCloseWithABodyNeverServesARequestHiddenInIt(Target target) throws IOException {
        Hidden hidden = Hidden.on(target.socket());
        String body = hidden.request();
        String request = target.method() + " " + target.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                + target.contentType() + "\r\nConnection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        Answer answer = exchange(target.socket(), request, CLOSE_WITHIN);

        assertThat("one answer only, whether or not the route read the body: " + answer.text(),
                answer.statusLines(), is(1L));
        assertThat("Connection: close ends the connection after the answer", answer.closed(), is(true));
        assertThat("the " + hidden.description() + " in the body never ran", hidden.effectStatus(), is(404));
    }

    @ParameterizedTest(name = "{0} socket")
    @ValueSource(strings = {"main", "upstream"})
    void connectionCloseWithALargeUnreadBodyStillDeliversTheAnswer(String socket) throws IOException {
        // More than loopback buffers hold, never read by the route: closed with it unread, the socket is
        // reset while the client still sends, and the client never reads the answer.
        String body = "x".repeat(16 << 20);
        String path = socket.equals("main") ? "/whoami" : "/delay";
        Answer answer = exchange(socket, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body, CLOSE_WITHIN);

        assertThat(answer.text(), answer.status(), is(200));
        assertThat(answer.statusLines(), is(1L));
        assertThat(answer.closed(), is(true));
    }

    @ParameterizedTest(name = "{0} socket")
    @ValueSource(strings = {"main", "upstream"})
    void aRequestAfterConnectionCloseIsNeverServed(String socket) throws IOException {
        Hidden hidden = Hidden.on(socket);
        Answer answer = exchange(socket, get(socket, "Connection: close\r\n") + hidden.request(), CLOSE_WITHIN);

        assertThat("one answer only: " + answer.text(), answer.statusLines(), is(1L));
        assertThat(answer.text(), answer.status(), is(200));
        assertThat("Connection: close ends the connection after the answer", answer.closed(), is(true));
        assertThat("the " + hidden.description() + " sent after Connection: close never ran", hidden.effectStatus(), is(404));
    }

    @ParameterizedTest(name = "{0} socket")
    @ValueSource(strings = {"main", "upstream"})
    void keepAliveServesASecondRequestOnTheSameConnection(String socket) throws IOException {
        try (Socket connection = connect(socket)) {
            RawHttp.write(connection, get(socket, ""));
            Answer first = RawHttp.readUntilClosed(connection, STAYS_OPEN);
            assertThat(first.text(), first.status(), is(200));
            assertThat("a kept-alive connection stays open after its answer", first.closed(), is(false));

            RawHttp.write(connection, get(socket, "Connection: close\r\n"));
            Answer second = RawHttp.readUntilClosed(connection, CLOSE_WITHIN);
            assertThat("the second request is served on the same connection: " + second.text(),
                    second.status(), is(200));
            assertThat(second.closed(), is(true));
        }
    }

    /**
     * A request hidden in another's body, with an effect a normal request can look for: a user
     * created on the main socket, an object stored in the upstream's object store.
     */
    private record Hidden(String socket, String request, String lookup) {

        static Hidden on(String socket) {
            int n = HIDDEN.incrementAndGet();
            if (socket.equals("main")) {
                String json = "{\"email\":\"hidden-" + n + "@example.com\",\"full_name\":\"Hidden " + n + "\"}";
                return new Hidden(socket, "POST /users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + json.length() + "\r\nConnection: close\r\n\r\n" + json,
                        "/users/hidden-" + n + "@example.com");
            }
            String path = "/s3/hidden/object-" + n;
            return new Hidden(socket, "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 6\r\nConnection: close\r\n\r\nhidden", path);
        }

        String description() {
            return request.substring(0, request.indexOf(" HTTP/1.1"));
        }

        /** 200 if the hidden request ran (the user or object exists), 404 if it did not. */
        int effectStatus() {
            var uri = socket.equals("main") ? SHOWCASE.uri(lookup) : SHOWCASE.upstreamUri(lookup);
            return SHOWCASE.send(HttpRequest.newBuilder(uri).GET()).status();
        }
    }

    private static String request(Target target, Framing framing, Hidden hidden) {
        return target.method() + " " + target.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                + target.contentType() + "\r\n" + framing.headersAndBody(hidden.request());
    }

    private static String get(String socket, String extraHeaders) {
        String path = socket.equals("main") ? "/whoami" : "/delay";
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n";
    }

    /** The data of a chunked body; fails unless it ends with the last (empty) chunk. */
    private static byte[] dechunked(String body) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", at);
            assertThat("a chunk-size line at " + at, lineEnd > at, is(true));
            int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                return data.toByteArray();
            }
            assertThat("chunk of " + size + " bytes is complete", body.length() >= lineEnd + 2 + size + 2, is(true));
            data.writeBytes(body.substring(lineEnd + 2, lineEnd + 2 + size).getBytes(StandardCharsets.ISO_8859_1));
            at = lineEnd + 2 + size + 2;
        }
    }

    private static Socket connect(String socket) throws IOException {
        return RawHttp.connect(port(socket));
    }

    private static int port(String socket) {
        return socket.equals("main") ? SHOWCASE.showcase().port() : SHOWCASE.showcase().upstreamPort();
    }

    /** Sends the request in one write, then reads until the server closes or {@code wait} passes. */
    private static Answer exchange(String socket, String request, Duration wait) throws IOException {
        return RawHttp.exchange(port(socket), request, wait);
    }
}
