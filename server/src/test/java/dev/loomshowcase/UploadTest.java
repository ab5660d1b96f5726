package dev.loomshowcase;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * {@code POST /upload} hashes a body it reads as a stream. A body over the limit is
 * {@link UploadLimitTest}'s; Helidon's own, lower {@code max-payload-size} is
 * {@link HelidonPayloadLimitTest}'s.
 */
@ServerTest(pinningDetection = true)
@RunsBesideOthers
class UploadTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    static Reply upload(RunningShowcase showcase, BodyPublisher body) {
        return showcase.send(HttpRequest.newBuilder(showcase.uri("/upload"))
                .header("Content-Type", "application/octet-stream").POST(body));
    }

    static String sha256(byte[] bytes) throws Exception {
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
        assertThat("the server's reading time fits inside the client's round trip", json.getJsonNumber("elapsedMs").longValue(),
                lessThanOrEqualTo(reply.elapsedMs()));
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
}
