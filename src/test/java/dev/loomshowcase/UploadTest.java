package dev.loomshowcase;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.isEmptyString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/**
 * {@code POST /upload} hashes a body it reads as a stream, and refuses one over the limit with
 * 413 problem+json without reading the rest of it. Helidon's own {@code max-payload-size}, when
 * set lower, answers first, with a 413 problem+json of its own.
 */
class UploadTest {

    private static final long LIMIT = 1 << 20;
    /** A body far over the limit, made lazily: only what the client is asked for is ever produced. */
    private static final long HUGE = 64L << 20;

    private static final RunningShowcase SHOWCASE = RunningShowcase.shared();
    private static final RunningShowcase SMALL_LIMIT = RunningShowcase.with(Map.of("app.upload.max-bytes", String.valueOf(LIMIT)));
    private static final RunningShowcase HELIDON_LIMIT = RunningShowcase.with(Map.of(
            "app.upload.max-bytes", String.valueOf(LIMIT),
            "server.max-payload-size", "65536"));

    @AfterAll
    static void stop() {
        SMALL_LIMIT.close();
        HELIDON_LIMIT.close();
    }

    private static Reply upload(RunningShowcase showcase, BodyPublisher body) {
        return showcase.send(HttpRequest.newBuilder(showcase.uri("/upload")).POST(body));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void fewMegabytesAnswerTheirSizeAndSha256() throws Exception {
        byte[] body = new byte[5_000_000];
        new Random(42).nextBytes(body);
        Reply reply = upload(SHOWCASE, BodyPublishers.ofByteArray(body));
        assertThat(reply.body(), reply.status(), is(200));
        JsonObject json = reply.json();
        assertThat(json.getJsonNumber("bytes").longValue(), is((long) body.length));
        assertThat("the server's hash is the client's", json.getString("sha256"), is(sha256(body)));
        assertThat(json.getJsonNumber("elapsedMs").longValue(), greaterThanOrEqualTo(0L));
    }

    @Test
    void chunkedBodyOfUnknownLengthIsHashedToo() throws Exception {
        byte[] body = new byte[3_000_000];
        new Random(7).nextBytes(body);
        // No length known in advance: the client sends Transfer-Encoding: chunked.
        Reply reply = upload(SHOWCASE, BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        assertThat(reply.body(), reply.status(), is(200));
        assertThat(reply.json().getJsonNumber("bytes").longValue(), is((long) body.length));
        assertThat(reply.json().getString("sha256"), is(sha256(body)));
    }

    @Test
    void emptyBodyIsZeroBytesWithTheHashOfNothing() {
        Reply reply = upload(SHOWCASE, BodyPublishers.noBody());
        assertThat(reply.body(), reply.status(), is(200));
        assertThat(reply.json().getJsonNumber("bytes").longValue(), is(0L));
        assertThat(reply.json().getString("sha256"), is("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    @Test
    void bodyDeclaredOverTheLimitIs413BeforeMostOfItIsSent() {
        CountingBody body = new CountingBody(HUGE);
        Reply reply = upload(SMALL_LIMIT, BodyPublishers.fromPublisher(body.publisher(), HUGE));
        assertTooLarge(reply, body);
    }

    @Test
    void chunkedBodyOverTheLimitIs413AsSoonAsItPassesIt() {
        CountingBody body = new CountingBody(HUGE);
        Reply reply = upload(SMALL_LIMIT, body.publisher());
        assertTooLarge(reply, body);
        assertThat("the server read past the limit before refusing", body.pulled(), greaterThanOrEqualTo(LIMIT));
    }

    @Test
    void bodyUnderTheLimitStillPasses() throws Exception {
        byte[] body = new byte[(int) LIMIT];
        new Random(1).nextBytes(body);
        Reply reply = upload(SMALL_LIMIT, BodyPublishers.ofByteArray(body));
        assertThat("exactly the limit is allowed: " + reply.body(), reply.status(), is(200));
        assertThat(reply.json().getString("sha256"), is(sha256(body)));
    }

    @Test
    void helidonsOwnLowerLimitAnswersFirstAlsoAsProblemJson() {
        // server.max-payload-size below app.upload.max-bytes: Helidon refuses a declared length over
        // its limit before routing, so our handler never runs; the answer is still a 413 problem+json
        // (ProblemDirectHandler), naming the server's limit.
        Reply reply = upload(HELIDON_LIMIT, BodyPublishers.ofByteArray(new byte[100_000]));
        assertThat(reply.status(), is(413));
        assertThat(reply.contentType(), containsString("application/problem+json"));
        assertThat(reply.json().getString("detail"), containsString("server.max-payload-size"));

        Reply small = upload(HELIDON_LIMIT, BodyPublishers.ofByteArray(new byte[1_000]));
        assertThat("under both limits the upload is ours again", small.status(), is(200));
    }

    private static void assertTooLarge(Reply reply, CountingBody body) {
        assertThat(reply.body(), reply.status(), is(413));
        assertThat(reply.contentType(), containsString("application/problem+json"));
        JsonObject problem = reply.json();
        assertThat(problem.getInt("status"), is(413));
        assertThat(problem.getJsonNumber("maxBytes").longValue(), is(LIMIT));
        assertThat("the connection is closed rather than drained", reply.header("connection"), is("close"));
        assertThat("the client was asked for " + body.pulled() + " of " + HUGE + " bytes: the server stopped reading",
                body.pulled(), lessThan(HUGE / 4));
    }

    /** A body of zeros produced only as the HTTP client pulls it, counting what it pulled. */
    private static final class CountingBody {

        private final long size;
        private final AtomicLong pulled = new AtomicLong();

        CountingBody(long size) {
            this.size = size;
        }

        long pulled() {
            return pulled.get();
        }

        BodyPublisher publisher() {
            return BodyPublishers.ofInputStream(() -> new InputStream() {
                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) == -1 ? -1 : one[0];
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    long left = size - pulled.get();
                    if (left <= 0) {
                        return -1;
                    }
                    int n = (int) Math.min(len, left);
                    pulled.addAndGet(n);
                    return n;
                }
            });
        }
    }
}
