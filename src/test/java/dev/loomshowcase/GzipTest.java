package dev.loomshowcase;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import dev.loomshowcase.web.GzipFilter;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.WebServer;

import jakarta.json.Json;
import org.junit.jupiter.api.AfterAll;
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
 * Responses of the main socket are gzipped for clients that accept it: JSON and NDJSON (a stream
 * too, still line by line), with {@code Content-Encoding: gzip}, {@code Vary: Accept-Encoding} and
 * a length that counts the compressed bytes; plain for everyone else, for short bodies, for other
 * media types, and for responses a handler has already encoded or measured.
 */
class GzipTest {

    private static final RunningShowcase SHOWCASE = RunningShowcase.shared();
    private static final byte[] BIG_JSON = ("[" + "\"repeated text compresses well\",".repeat(400) + "0]")
            .getBytes(StandardCharsets.UTF_8);
    /** A bare server with only the filter, for handlers the showcase does not have. */
    private static final WebServer BARE = WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .routing(routing -> routing
                    .addFilter(new GzipFilter())
                    .get("/pre-encoded", (req, res) -> {
                        res.headers().contentType(MediaTypes.APPLICATION_JSON);
                        res.header(HeaderNames.CONTENT_ENCODING, "gzip");
                        res.send(gzip(BIG_JSON));
                    })
                    .get("/fixed-length", (req, res) -> {
                        res.headers().contentType(MediaTypes.APPLICATION_JSON);
                        res.headers().contentLength(BIG_JSON.length);
                        res.send(BIG_JSON);
                    })
                    .get("/csv", (req, res) -> {
                        res.headers().contentType(HttpMediaType.create("text/csv"));
                        res.send("item,square\n" + "1,1\n".repeat(1000));
                    }))
            .build()
            .start();

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
        assertThat("a cache must know the answer depends on Accept-Encoding", vary(plain), contains("Accept-Encoding"));

        assertThat(zipped.statusCode(), is(200));
        assertThat(encoding(zipped), is("gzip"));
        assertThat(vary(zipped), contains("Accept-Encoding"));
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
        assertThat(vary(response), contains("Accept-Encoding"));
    }

    @Test
    void shortBodiesStayPlain() throws Exception {
        HttpResponse<byte[]> whoami = get("/whoami", "Accept-Encoding", "gzip");
        assertThat(whoami.body().length, lessThan(GzipFilter.MIN_BYTES));
        assertThat("under " + GzipFilter.MIN_BYTES + " bytes gzip is not worth it", encoding(whoami), is("none"));
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
        assertThat(html.body().length, greaterThan(GzipFilter.MIN_BYTES));
        assertThat("HTML is not one of the compressed types", encoding(html), is("none"));
        assertThat(vary(html).isEmpty(), is(true));
    }

    @Test
    void csvIsGzipped() throws Exception {
        HttpResponse<byte[]> csv = get(URI.create("http://127.0.0.1:" + BARE.port() + "/csv"), "Accept-Encoding", "gzip");
        assertThat(encoding(csv), is("gzip"));
        assertThat(new String(gunzip(csv.body()), StandardCharsets.UTF_8).lines().count(), is(1001L));
    }

    @Test
    void aBodyAlreadyEncodedIsNeverCompressedTwice() throws Exception {
        HttpResponse<byte[]> response = get(URI.create("http://127.0.0.1:" + BARE.port() + "/pre-encoded"),
                "Accept-Encoding", "gzip");
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
