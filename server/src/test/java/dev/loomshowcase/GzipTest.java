package dev.loomshowcase;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.web.AcceptEncoding;
import dev.loomshowcase.web.GzipEncoding;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.sse.SseSink;
import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Helidon gzips the main socket's answers for clients that accept it, through our
 * {@link GzipEncoding}: JSON, CSV and NDJSON (a stream too, still line by line), with
 * {@code Content-Encoding: gzip}, {@code Vary: Accept-Encoding} and a length that counts the
 * compressed bytes; plain for everyone else, for short bodies, for other media types, and for
 * answers a handler has already encoded or measured. Request bodies are not decoded.
 */
@ServerTest(pinningDetection = true)
class GzipTest {

    private static final byte[] BIG_JSON = ("[" + "\"repeated text compresses well\",".repeat(400) + "0]")
            .getBytes(StandardCharsets.UTF_8);
    private static RunningShowcase SHOWCASE;
    /** A bare server with only the gzip rules, for handlers the showcase does not have. */
    private static WebServer BARE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
        BARE = WebServer.builder()
                // No observe feature of its own: built with other metrics settings than the showcase's, it
                // would make Helidon rebuild the JVM's global registry (and double its vthreads_* counts).
                .featuresDiscoverServices(false)
                .host("127.0.0.1")
                .port(0)
                .contentEncoding(AcceptEncoding.create())
                .routing(routing -> routing
                        .addFilter(GzipEncoding.rules())
                        .get("/pre-encoded", (req, res) -> {
                            res.headers().contentType(MediaTypes.APPLICATION_JSON);
                            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
                            res.send(gzip(BIG_JSON));
                        })
                        .get("/pre-encoded-stream", (req, res) -> {
                            res.headers().contentType(MediaTypes.APPLICATION_JSON);
                            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
                            try (OutputStream out = res.outputStream()) {
                                out.write(gzip(BIG_JSON));
                            }
                        })
                        .get("/pre-encoded-late", (req, res) -> {
                            // Content-Encoding set after the stream is open, past Helidon's own check.
                            res.headers().contentType(MediaTypes.APPLICATION_JSON);
                            try (OutputStream out = res.outputStream()) {
                                res.headers().set(HeaderNames.CONTENT_ENCODING, "gzip");
                                out.write(gzip(BIG_JSON));
                            }
                        })
                        .get("/fixed-length", (req, res) -> {
                            res.headers().contentType(MediaTypes.APPLICATION_JSON);
                            res.headers().contentLength(BIG_JSON.length);
                            res.send(BIG_JSON);
                        })
                        .get("/csv", (req, res) -> {
                            res.headers().contentType(HttpMediaType.create("text/csv"));
                            res.send("item,square\n" + "1,1\n".repeat(1000));
                        })
                        .get("/octets", (req, res) -> {
                            res.headers().contentType(MediaTypes.APPLICATION_OCTET_STREAM);
                            res.send(BIG_JSON);
                        })
                        .get("/events", (req, res) -> {
                            try (SseSink sink = res.sink(SseSink.TYPE)) {
                                sink.emit(SseEvent.create(new String(BIG_JSON, StandardCharsets.UTF_8)));
                            }
                        }))
                .build()
                .start();
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterAll
    static void stop() {
        BARE.stop();
    }

    private HttpResponse<byte[]> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws Exception {
        return get(SHOWCASE.uri(pathAndQuery), headers);
    }

    private static String encoding(HttpResponse<?> response) {
        return response.headers().firstValue("content-encoding").orElse("none");
    }

    private static List<String> vary(HttpResponse<?> response) {
        return response.headers().allValues("vary");
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void jsonIsGzippedForClientsThatAcceptItAndDecompressesToThePlainBody() throws Exception {
        HttpResponse<byte[]> plain = get("/", "Accept", "application/json");
        HttpResponse<byte[]> zipped = get("/", "Accept", "application/json", "Accept-Encoding", "gzip");

        assertThat(plain.statusCode(), is(200));
        assertThat("no Accept-Encoding, no gzip", encoding(plain), is("none"));

        assertThat(zipped.statusCode(), is(200));
        assertThat(encoding(zipped), is("gzip"));
        assertThat("a cache must know the answer depends on Accept-Encoding", vary(zipped), contains("Accept-Encoding"));
        assertThat(zipped.headers().firstValue("content-type").orElse(""), containsString("application/json"));
        zipped.headers().firstValueAsLong("content-length").ifPresent(length ->
                assertThat("Content-Length counts the compressed bytes", length, is((long) zipped.body().length)));
        assertThat("compressed is smaller", zipped.body().length, lessThan(plain.body().length));
        String unzipped = new String(gunzip(zipped.body()), StandardCharsets.UTF_8);
        assertThat("the same JSON either way", Json.createReader(new StringReader(unzipped)).readObject(),
                is(Json.createReader(new StringReader(new String(plain.body(), StandardCharsets.UTF_8))).readObject()));
    }

    @Test
    void ndjsonStreamIsGzippedToo() throws Exception {
        HttpResponse<byte[]> zipped = get("/stream?items=2000", "Accept-Encoding", "gzip");
        assertThat(zipped.statusCode(), is(200));
        assertThat(encoding(zipped), is("gzip"));
        assertThat(vary(zipped), contains("Accept-Encoding"));
        assertThat(zipped.headers().firstValue("content-type").orElse(""), containsString("application/x-ndjson"));
        List<String> lines = new String(gunzip(zipped.body()), StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.size(), is(2000));
        assertThat(Json.createReader(new StringReader(lines.getLast())).readObject().getInt("item"), is(2000));
    }

    @Test
    void gzippedSlowStreamStillArrivesLineByLine() throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(SHOWCASE.uri("/stream?items=4&delayMs=400"))
                .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(encoding(response), is("gzip"));
        List<Long> arrivals = new ArrayList<>();
        // Newlines counted in whatever each read inflates: an InputStreamReader over a GZIPInputStream
        // would wait to fill its buffer (GZIPInputStream always claims more is available).
        try (InputStream in = new GZIPInputStream(response.body())) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        arrivals.add((System.nanoTime() - start) / 1_000_000);
                    }
                }
            }
        }
        assertThat(arrivals.size(), is(4));
        assertThat("each flush is a gzip sync flush, so the first line (at " + arrivals.getFirst()
                        + " ms) does not wait for the last (at " + arrivals.getLast() + " ms)",
                arrivals.getFirst(), lessThan(arrivals.getLast() - 800));
    }

    @ParameterizedTest(name = "Accept-Encoding: {0} -> gzip {1}")
    @CsvSource(delimiter = '|', value = {
            "gzip|true",
            "GZIP|true",
            "deflate, gzip, br|true",
            "br;q=1.0, gzip;q=0.5|true",
            "x-gzip|true",
            "*|true",
            "deflate, *;q=0.1|true",
            "gzip;q=0|false",
            "gzip; q=0.000|false",
            "*;q=0|false",
            "gzip;q=0, *|false",
            "identity|false",
            "br, deflate|false",
            "gzip;q=nonsense|false"})
    void acceptEncodingDecides(String acceptEncoding, boolean gzipped) throws Exception {
        HttpResponse<byte[]> response = get("/", "Accept", "application/json", "Accept-Encoding", acceptEncoding);
        assertThat(response.statusCode(), is(200));
        assertThat(encoding(response), is(gzipped ? "gzip" : "none"));
        // No Vary for a client that takes no gzip: Helidon calls no encoder for it, and its plain
        // answer suits every client, so a cache that keeps it serves nobody wrong.
        assertThat(vary(response).contains("Accept-Encoding"), is(gzipped));
    }

    @Test
    void anUnreadableQValueIsNoGzipOnEitherSocket() throws Exception {
        // Helidon's own reading of Accept-Encoding throws on it, for every answer with a body.
        HttpResponse<byte[]> main = get("/", "Accept", "application/json", "Accept-Encoding", "gzip;q=x");
        assertThat(main.statusCode(), is(200));
        assertThat(encoding(main), is("none"));
        HttpResponse<byte[]> upstream = get(SHOWCASE.upstreamUri("/delay?ms=0&status=200"), "Accept-Encoding", "gzip;q=x");
        assertThat(upstream.statusCode(), is(200));
        assertThat(encoding(upstream), is("none"));
    }

    @Test
    void requestBodiesAreNotDecoded() throws Exception {
        // An upload is hashed as the client sent it; a gzipped body is refused, as before Helidon could decode one.
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(SHOWCASE.uri("/upload"))
                        .header("Content-Encoding", "gzip")
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(BIG_JSON)))
                        .timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode(), is(400));
        assertThat(response.headers().firstValue("content-type").orElse(""), containsString("application/problem+json"));
    }

    @Test
    void shortBodiesStayPlain() throws Exception {
        HttpResponse<byte[]> whoami = get("/whoami", "Accept-Encoding", "gzip");
        assertThat(whoami.body().length, lessThan(GzipEncoding.MIN_BYTES));
        assertThat("under " + GzipEncoding.MIN_BYTES + " bytes gzip is not worth it", encoding(whoami), is("none"));
        assertThat(vary(whoami), contains("Accept-Encoding"));

        HttpResponse<byte[]> problem = get("/no-such-page", "Accept-Encoding", "gzip");
        assertThat(problem.statusCode(), is(404));
        assertThat(problem.headers().firstValue("content-type").orElse(""), containsString("application/problem+json"));
        assertThat(encoding(problem), is("none"));
    }

    @Test
    void otherMediaTypesAreNotTouched() throws Exception {
        HttpResponse<byte[]> html = get("/", "Accept", "text/html", "Accept-Encoding", "gzip");
        assertThat(html.statusCode(), is(200));
        assertThat(html.body().length, greaterThan(GzipEncoding.MIN_BYTES));
        assertThat("HTML is not one of the compressed types", encoding(html), is("none"));
        assertThat(vary(html).isEmpty(), is(true));

        HttpResponse<byte[]> octets = get(URI.create("http://127.0.0.1:" + BARE.port() + "/octets"), "Accept-Encoding", "gzip");
        assertThat(octets.statusCode(), is(200));
        assertThat("octets are not one of the compressed types", encoding(octets), is("none"));
        assertThat(octets.body(), is(BIG_JSON));

        HttpResponse<byte[]> events = get(URI.create("http://127.0.0.1:" + BARE.port() + "/events"), "Accept-Encoding", "gzip");
        assertThat(events.statusCode(), is(200));
        assertThat(events.headers().firstValue("content-type").orElse(""), containsString("text/event-stream"));
        assertThat("server-sent events are not one of the compressed types", encoding(events), is("none"));
        assertThat(new String(events.body(), StandardCharsets.UTF_8), containsString("repeated text compresses well"));
    }

    @Test
    void csvIsGzipped() throws Exception {
        HttpResponse<byte[]> csv = get(URI.create("http://127.0.0.1:" + BARE.port() + "/csv"), "Accept-Encoding", "gzip");
        assertThat(encoding(csv), is("gzip"));
        assertThat(new String(gunzip(csv.body()), StandardCharsets.UTF_8).lines().count(), is(1001L));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/pre-encoded", "/pre-encoded-stream", "/pre-encoded-late"})
    void aBodyAlreadyEncodedIsNeverCompressedTwice(String path) throws Exception {
        HttpResponse<byte[]> response = get(URI.create("http://127.0.0.1:" + BARE.port() + path),
                "Accept-Encoding", "gzip");
        assertThat(response.statusCode(), is(200));
        assertThat(response.headers().allValues("content-encoding"), contains("gzip"));
        assertThat("one gunzip gives the JSON back", gunzip(response.body()), is(BIG_JSON));
    }

    @Test
    void aLengthSetByTheHandlerIsLeftAloneAndTrue() throws Exception {
        HttpResponse<byte[]> response = get(URI.create("http://127.0.0.1:" + BARE.port() + "/fixed-length"),
                "Accept-Encoding", "gzip");
        assertThat("compressing would make the handler's Content-Length a lie", encoding(response), is("none"));
        assertThat(response.headers().firstValueAsLong("content-length").orElse(-1), is((long) BIG_JSON.length));
        assertThat(response.body(), is(BIG_JSON));
    }
}
