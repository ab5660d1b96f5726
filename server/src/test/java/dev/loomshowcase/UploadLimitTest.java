package dev.loomshowcase;

import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.loomshowcase.UploadTest.sha256;
import static dev.loomshowcase.UploadTest.upload;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * {@code POST /upload} with {@code app.upload.max-bytes} of 1 MiB refuses a body over it with
 * 413 problem+json without reading the rest of it.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings("app.upload.max-bytes=" + UploadLimitTest.LIMIT)
@RunsBesideOthers
class UploadLimitTest {

    static final long LIMIT = 1 << 20;
    /** A body far over the limit, made lazily: only what the client is asked for is ever produced. */
    private static final long HUGE = 64L << 20;

    private static RunningShowcase SMALL_LIMIT;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SMALL_LIMIT = showcase;
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
