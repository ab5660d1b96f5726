package dev.loomshowcase;

import java.net.http.HttpRequest.BodyPublishers;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.Test;

import static dev.loomshowcase.UploadTest.upload;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Helidon's own {@code max-payload-size}, when set lower than {@code app.upload.max-bytes},
 * answers first, with a 413 problem+json of its own.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings({
        "app.upload.max-bytes=" + UploadLimitTest.LIMIT,
        "server.max-payload-size=65536"})
@RunsBesideOthers
class HelidonPayloadLimitTest {

    @Test
    void helidonsOwnLowerLimitAnswersFirstAlsoAsProblemJson(RunningShowcase helidonLimit) {
        // server.max-payload-size below app.upload.max-bytes: Helidon refuses a declared length over
        // its limit before routing, so our handler never runs; the answer is still a 413 problem+json
        // (ProblemDirectHandler), naming the server's limit.
        Reply reply = upload(helidonLimit, BodyPublishers.ofByteArray(new byte[100_000]));
        assertThat(reply.status(), is(413));
        assertThat(reply.contentType(), containsString("application/problem+json"));
        assertThat(reply.json().getString("detail"), containsString("server.max-payload-size"));

        Reply small = upload(helidonLimit, BodyPublishers.ofByteArray(new byte[1_000]));
        assertThat("under both limits the upload is ours again", small.status(), is(200));
    }
}
