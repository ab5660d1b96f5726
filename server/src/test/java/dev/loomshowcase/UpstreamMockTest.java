package dev.loomshowcase;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * The upstream mock's endpoints behave as the tutorials' external APIs: latency and failure
 * injection, a slow inference call, a job that moves through its states with time, and a
 * size-capped object store.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings({
        "upstream.runpod.queue-ms=300",
        "upstream.runpod.run-ms=300",
        "upstream.hf.latency-ms=150",
        "upstream.s3.max-object-bytes=1024",
        "upstream.s3.max-total-bytes=4096"})
@RunsBesideOthers
class UpstreamMockTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private Reply upstream(String method, String path, String body) {
        // The mock's JSON routes read JSON; the object store takes any bytes.
        return SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.upstreamUri(path))
                .header("Content-Type", path.startsWith("/s3/") ? "application/octet-stream" : "application/json")
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body)));
    }

    @Test
    void delayWaitsAndInjectsStatus() {
        Reply ok = upstream("GET", "/delay?ms=200", null);
        assertThat(ok.status(), is(200));
        assertThat("waited the asked time", ok.elapsedMs(), greaterThanOrEqualTo(200L));
        assertThat(ok.json().getInt("ms"), is(200));

        Reply failing = upstream("GET", "/delay?ms=0&status=503", null);
        assertThat(failing.status(), is(503));
        assertThat(failing.contentType(), containsString("application/problem+json"));
    }

    @Test
    void huggingFaceAnswersAfterItsLatencyDeterministically() {
        Reply first = upstream("POST", "/hf/models/distilbert-sst2", "{\"inputs\": \"I love virtual threads\"}");
        Reply second = upstream("POST", "/hf/models/distilbert-sst2", "{\"inputs\": \"I love virtual threads\"}");
        assertThat(first.body(), first.status(), is(200));
        assertThat("the model takes its configured latency", first.elapsedMs(), greaterThanOrEqualTo(150L));
        assertThat("same input, same answer", second.body(), is(first.body()));
        JsonObject prediction = first.json().getJsonArray("predictions").getJsonObject(0);
        assertThat(prediction.getString("label"), is("POSITIVE"));
        assertThat(prediction.getJsonNumber("score").doubleValue(), is(0.818));
    }

    @Test
    void huggingFaceRefusesBadBodies() {
        assertThat(upstream("POST", "/hf/models/m", "{\"inputs\": ").status(), is(400));
        assertThat(upstream("POST", "/hf/models/m", "[1,2]").status(), is(400));
        assertThat(upstream("POST", "/hf/models/m", "{\"text\": \"x\"}").status(), is(400));
        assertThat(upstream("POST", "/hf/models/m", null).status(), is(400));
        assertThat(upstream("POST", "/hf/models/bad%20model!", "{\"inputs\": \"x\"}").status(), is(400));
    }

    @Test
    void runPodJobMovesFromQueuedToInProgressToCompleted() throws InterruptedException {
        Reply submitted = upstream("POST", "/runpod/run", "{\"input\": {\"prompt\": \"hello\"}}");
        assertThat(submitted.body(), submitted.status(), is(200));
        String id = submitted.json().getString("id");
        assertThat(submitted.json().getString("status"), is("IN_QUEUE"));

        String status = "IN_QUEUE";
        boolean sawInProgress = false;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!status.equals("COMPLETED") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = upstream("GET", "/runpod/status/" + id, null).json().getString("status");
            sawInProgress |= status.equals("IN_PROGRESS");
        }
        assertThat("the job went through IN_PROGRESS", sawInProgress, is(true));
        assertThat(status, is("COMPLETED"));
        JsonObject done = upstream("GET", "/runpod/status/" + id, null).json();
        assertThat(done.getJsonObject("output").getJsonObject("echo").getString("prompt"), is("hello"));
    }

    @Test
    void runPodUnknownJobIs404() {
        Reply reply = upstream("GET", "/runpod/status/no-such-job", null);
        assertThat(reply.status(), is(404));
        assertThat(reply.contentType(), containsString("application/problem+json"));
    }

    @Test
    void objectStoreRoundTripsAndCapsSize() {
        Reply put = upstream("PUT", "/s3/my-bucket/report.txt", "hello, object store");
        assertThat(put.body(), put.status(), is(201));
        Reply get = upstream("GET", "/s3/my-bucket/report.txt", null);
        assertThat(get.status(), is(200));
        assertThat(get.body(), is("hello, object store"));

        assertThat("absent objects are 404", upstream("GET", "/s3/my-bucket/absent", null).status(), is(404));
        Reply tooBig = upstream("PUT", "/s3/my-bucket/big.bin", "x".repeat(1025));
        assertThat(tooBig.body(), tooBig.status(), is(413));
        assertThat(tooBig.contentType(), containsString("application/problem+json"));
        assertThat("a refused upload stores nothing", upstream("GET", "/s3/my-bucket/big.bin", null).status(), is(404));

        for (int i = 0; i < 4; i++) {
            upstream("PUT", "/s3/my-bucket/fill" + i, "x".repeat(1000));
        }
        Reply full = upstream("PUT", "/s3/my-bucket/one-more", "x".repeat(1000));
        assertThat("the whole store is capped too", full.status(), is(507));
        assertThat(upstream("PUT", "/s3/BAD_BUCKET/k", "x").status(), is(400));
    }

    @Test
    void mockAnswersQuicklyForZeroDelay() {
        Reply reply = upstream("GET", "/delay", null);
        assertThat(reply.status(), is(200));
        assertThat(reply.elapsedMs(), lessThan(5_000L));
    }
}
