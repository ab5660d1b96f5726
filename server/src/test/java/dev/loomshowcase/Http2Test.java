package dev.loomshowcase;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.loomshowcase.support.RawHttp;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.http.HeaderNames;
import io.helidon.http.media.MediaContext;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http2.Http2Client;
import io.helidon.webclient.http2.Http2ClientProtocolConfig;
import io.helidon.webclient.http2.Http2ClientResponse;
import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

/**
 * HTTP/2 cleartext with prior knowledge (h2c) on the main socket, over loopback with Helidon's own
 * HTTP/2 client: routes answer over it, many requests share one connection at once, the showcase's
 * boundaries hold there too (a foreign {@code :authority} is 421, a too-large upload 413 and a
 * malformed body 400, each ending only its own stream), and HTTP/1.1 clients see no change: the
 * JDK's client, which asks for an h2c upgrade on every http:// URL, still talks HTTP/1.1.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings({"app.upload.max-bytes=1024", "server.idle-connection-timeout=PT1S", "server.idle-connection-period=PT0.2S"})
class Http2Test {

    private static RunningShowcase SHOWCASE;
    /**
     * Each test's own connection (this class's idle timeout is 1 s): Helidon's client sent a stream on a
     * connection the server had just closed as idle, and waited its whole read timeout for an answer.
     */
    private Http2Client h2;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @BeforeEach
    void connect() {
        h2 = client(SHOWCASE);
    }

    @AfterEach
    void disconnect() {
        h2.closeResource();
    }

    /** A client with a connection of its own (not the JVM-wide cache), speaking HTTP/2 from its first byte. */
    private static Http2Client client(RunningShowcase showcase) {
        return Http2Client.builder()
                .baseUri(showcase.uri("/").toString())
                .shareConnectionCache(false)
                .mediaContext(MediaContext.create())
                .readTimeout(Duration.ofSeconds(20))
                .protocolConfig(Http2ClientProtocolConfig.builder().priorKnowledge(true).build())
                .build();
    }

    @Test
    void routesAnswerOverH2c() {
        ClientResponseTyped<String> whoami = h2.get("/whoami").request(String.class);
        assertThat(whoami.entity(), whoami.status().code(), is(200));
        assertThat(whoami.entity(), containsString("\"virtual\":true"));
        ClientResponseTyped<String> sleep = h2.get("/sleep/virtual").queryParam("ms", "20").request(String.class);
        assertThat(sleep.entity(), sleep.status().code(), is(200));
        ClientResponseTyped<String> openapi = h2.get("/openapi").request(String.class);
        assertThat(openapi.status().code(), is(200));
        assertThat(openapi.entity(), containsString("openapi"));
    }

    @Test
    void fortySleepsOverOneConnectionOverlap() throws Exception {
        Http2Client one = client(SHOWCASE);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            one.get("/whoami").request(String.class); // opens the connection first
            long start = System.nanoTime();
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(threads.submit(() -> one.get("/sleep/virtual").queryParam("ms", "300").request(String.class).status().code()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(), is(200));
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            // One after another they would take 12 s; as streams of one connection they overlap.
            assertThat("40 sleeps of 300 ms as streams of one connection took " + ms + " ms", ms, lessThan(4_000L));
        } finally {
            one.closeResource();
        }
    }

    @Test
    void aConnectionWithAStreamRunningIsNotIdle() {
        // Helidon counts an h2 connection's idle time from its last request: past this class's 1 s
        // timeout, it would close the connection under this 2.5 s sleep.
        ClientResponseTyped<String> slow = h2.get("/sleep/virtual").queryParam("ms", "2500").request(String.class);
        assertThat(slow.entity(), slow.status().code(), is(200));
    }

    @Test
    void aSilentH2cConnectionIsClosedAfterTheIdleTimeoutNotBefore() throws Exception {
        // Helidon's own idle clock for HTTP/2 ticks once a second, so a fresh connection could look a
        // second old and be closed before its first stream reached the requests filter (in CI,
        // aConnectionWithAStreamRunningIsNotIdle lost its connection so, once).
        try (Socket socket = RawHttp.connect(SHOWCASE.uri("/").getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame, then nothing
            out.flush();
            long start = System.nanoTime();
            // The server's SETTINGS, then GOAWAY and the close.
            assertThat(RawHttp.readUntilClosed(socket, Duration.ofSeconds(10)).closed(), is(true));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat("closed after " + ms + " ms, with a 1 s idle timeout", ms, greaterThanOrEqualTo(950L));
            assertThat("closed after " + ms + " ms, with a 1 s idle timeout", ms, lessThan(5_000L));
        }
    }

    @Test
    void aForeignAuthorityIs421() {
        // Helidon's client sends a Host header over HTTP/2 as :authority; the server reads it back as Host.
        ClientResponseTyped<String> answer = h2.get("/whoami").header(HeaderNames.HOST, "rebound.test").request(String.class);
        assertThat(answer.entity(), answer.status().code(), is(421));
        assertThat(answer.headers().contentType().map(Object::toString).orElse(""), startsWith("application/problem+json"));
        ClientResponseTyped<String> own = h2.get("/whoami").header(HeaderNames.HOST, "localhost").request(String.class);
        assertThat(own.entity(), own.status().code(), is(200));
    }

    @Test
    void aTooLargeUploadIs413AndTheConnectionServesOn() {
        Http2Client one = client(SHOWCASE);
        try {
            assertThat(one.get("/whoami").request(String.class).status().code(), is(200));
            try (Http2ClientResponse refused = one.post("/upload").header(HeaderNames.CONTENT_TYPE, "application/octet-stream").submit(new byte[4096])) {
                assertThat(refused.status().code(), is(413));
                assertThat(refused.headers().contains(HeaderNames.CONNECTION), is(false));
                assertThat(refused.as(String.class), containsString("1024"));
            }
            // The 413 ended its stream only: the same connection still answers.
            assertThat(one.get("/whoami").request(String.class).status().code(), is(200));
            try (Http2ClientResponse fits = one.post("/upload").header(HeaderNames.CONTENT_TYPE, "application/octet-stream").submit(new byte[512])) {
                assertThat(fits.status().code(), is(200));
                assertThat(fits.as(String.class), containsString("\"bytes\":512"));
            }
        } finally {
            one.closeResource();
        }
    }

    @Test
    void aMalformedJsonBodyIs400() {
        try (Http2ClientResponse bad = h2.post("/users").header(HeaderNames.CONTENT_TYPE, "application/json").submit("{")) {
            assertThat(bad.status().code(), is(400));
            assertThat(bad.headers().contentType().map(Object::toString).orElse(""), startsWith("application/problem+json"));
        }
        assertThat(h2.get("/whoami").request(String.class).status().code(), is(200));
    }

    @Test
    void theJdkClientStaysOnHttp1() throws Exception {
        // HttpClient's default is HTTP_2, which sends "Upgrade: h2c" on http://: the showcase does not upgrade.
        try (HttpClient jdk = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = jdk.send(HttpRequest.newBuilder(SHOWCASE.uri("/whoami")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode(), is(200));
            assertThat(answer.version(), is(HttpClient.Version.HTTP_1_1));
        }
    }

    @Test
    void anUpgradeRequestIsAnsweredOverHttp1() throws Exception {
        URI uri = SHOWCASE.uri("/whoami");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings, close\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer, startsWith("HTTP/1.1 200"));
        }
    }
}
