package dev.loomshowcase;

import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.loomshowcase.jobs.Job;
import dev.loomshowcase.support.Jobs;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/**
 * {@code /jobs} end to end: each kind from 202 to succeeded with its result and timings,
 * progress, cancellation, the errors (400, 404, 409), and listing. The RunPod-like mock is
 * set to answer in 300 ms so its job polls a few times and still finishes fast.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings({
        "upstream.runpod.queue-ms=100",
        "upstream.runpod.run-ms=200"})
@RunsBesideOthers
class JobsTest {

    private static RunningShowcase SHOWCASE;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @Test
    void cpuJobRunsToSucceededWithItsResultAndTimings() throws Exception {
        Reply accepted = SHOWCASE.post("/jobs", "{\"kind\": \"cpu\", \"n\": 1000}");
        assertThat(accepted.body(), accepted.status(), is(202));
        JsonObject job = accepted.json();
        String id = job.getString("id");
        assertThat(accepted.header("Location"), is("/jobs/" + id));
        assertThat(job.getString("kind"), is("cpu"));
        assertThat(job.getString("status"), is("queued"));
        assertThat(job.getJsonObject("params"), is(Json.createObjectBuilder().add("n", 1000).build()));

        JsonObject done = Jobs.awaitStatus(SHOWCASE, id, "succeeded", WAIT);
        assertThat(done.getInt("progress"), is(100));
        // The sum of i*i for i < 1000 is 999 * 1000 * 1999 / 6.
        assertThat(done.getJsonObject("result").getJsonNumber("sumOfSquares").bigIntegerValueExact(),
                is(BigInteger.valueOf(332_833_500L)));
        assertThat(done.get("error"), is(JsonValue.NULL));
        assertThat(done.get("startedAt"), is(not(JsonValue.NULL)));
        assertThat(done.get("finishedAt"), is(not(JsonValue.NULL)));
        // The timings are the gaps between its timestamps, which follow each other.
        OffsetDateTime created = OffsetDateTime.parse(done.getString("createdAt"));
        OffsetDateTime started = OffsetDateTime.parse(done.getString("startedAt"));
        OffsetDateTime finished = OffsetDateTime.parse(done.getString("finishedAt"));
        assertThat("created, then started, then finished: " + done,
                !started.isBefore(created) && !finished.isBefore(started), is(true));
        assertThat(done.getJsonObject("timings").getJsonNumber("queuedMs").longValue(),
                is(Duration.between(created, started).toMillis()));
        assertThat(done.getJsonObject("timings").getJsonNumber("runMs").longValue(),
                is(Duration.between(started, finished).toMillis()));
    }

    @Test
    void defaultsAreFilledIn() throws Exception {
        JsonObject job = Jobs.submit(SHOWCASE, "{\"kind\": \"process-data\", \"message\": \"hello\", \"stepMs\": 0}");
        assertThat(job.getJsonObject("params"), is(Json.createObjectBuilder()
                .add("message", "hello").add("steps", 5).add("stepMs", 0).build()));
        JsonObject cpu = Jobs.submit(SHOWCASE, "{\"kind\": \"cpu\"}");
        assertThat(cpu.getJsonObject("params").getJsonNumber("n").longValue(), is(1_000_000_000L));
        Jobs.awaitStatus(SHOWCASE, job.getString("id"), "succeeded", WAIT);
        assertThat(SHOWCASE.delete("/jobs/" + cpu.getString("id")).json().getString("status"), is("cancelled"));
    }

    @Test
    void processDataReportsProgressStepByStep() throws Exception {
        String id = Jobs.submit(SHOWCASE, "{\"kind\": \"process-data\", \"message\": \"the quick brown fox\", "
                + "\"steps\": 5, \"stepMs\": 300}").getString("id");
        List<Integer> seen = new ArrayList<>();
        JsonObject done = Jobs.await(SHOWCASE, id, job -> {
            seen.add(job.getInt("progress"));
            return job.getString("status").equals("succeeded");
        }, WAIT);
        for (int i = 1; i < seen.size(); i++) {
            assertThat("progress never goes back: " + seen, seen.get(i), greaterThanOrEqualTo(seen.get(i - 1)));
        }
        assertThat("progress was seen between 0 and 100: " + seen,
                seen.stream().anyMatch(p -> p > 0 && p < 100), is(true));
        assertThat(done.getInt("progress"), is(100));
        JsonObject result = done.getJsonObject("result");
        assertThat(result.getString("message"), is("the quick brown fox"));
        assertThat(result.getInt("words"), is(4));
        assertThat(result.getInt("steps"), is(5));
        assertThat("five steps of 300 ms", done.getJsonObject("timings").getJsonNumber("runMs").longValue(),
                greaterThanOrEqualTo(1_500L));
    }

    @Test
    void s3UploadPutsTheObjectInTheUpstreamStore() throws Exception {
        String id = Jobs.submit(SHOWCASE, "{\"kind\": \"s3-upload\", \"bucket\": \"job-results\", "
                + "\"key\": \"report-1.bin\", \"bytes\": 300000}").getString("id");
        JsonObject result = Jobs.awaitStatus(SHOWCASE, id, "succeeded", WAIT).getJsonObject("result");
        assertThat(result.getInt("bytes"), is(300_000));
        assertThat(result.getString("objectPath"), is("/s3/job-results/report-1.bin"));

        HttpResponse<byte[]> stored;
        try (HttpClient client = HttpClient.newHttpClient()) {
            stored = client.send(HttpRequest.newBuilder(SHOWCASE.upstreamUri("/s3/job-results/report-1.bin"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        assertThat(stored.statusCode(), is(200));
        assertThat(stored.body().length, is(300_000));
        assertThat("the store holds exactly what the job made",
                java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored.body())),
                is(result.getString("sha256")));
    }

    @Test
    void runPodJobPollsUntilTheUpstreamJobCompletes() throws Exception {
        String id = Jobs.submit(SHOWCASE, "{\"kind\": \"runpod\", \"input\": {\"prompt\": \"a cat on a mat\"}}")
                .getString("id");
        JsonObject done = Jobs.awaitStatus(SHOWCASE, id, "succeeded", WAIT);
        JsonObject result = done.getJsonObject("result");
        assertThat(result.getString("status"), is("COMPLETED"));
        assertThat(result.getJsonObject("output").getJsonObject("echo").getString("prompt"), is("a cat on a mat"));
        assertThat("the mock takes 300 ms in all", done.getJsonObject("timings").getJsonNumber("runMs").longValue(),
                greaterThanOrEqualTo(300L));
    }

    @Test
    void cancellingARunningCpuJobStopsItAndFreesItsThread() throws Exception {
        // 2e10 iterations: many seconds of work, unless the cancel stops it.
        String id = Jobs.submit(SHOWCASE, "{\"kind\": \"cpu\", \"n\": 20000000000}").getString("id");
        Jobs.await(SHOWCASE, id, job -> job.getString("status").equals("running") && job.getInt("progress") > 0, WAIT);

        Reply cancelled = SHOWCASE.delete("/jobs/" + id);
        assertThat(cancelled.body(), cancelled.status(), is(200));
        assertThat(cancelled.json().getString("status"), is("cancelled"));
        assertThat(cancelled.json().getString("error"), is("Cancelled while running."));
        assertThat(cancelled.json().getInt("progress"), lessThan(100));
        assertThat("the loop stops at its next check", cancelled.elapsedMs(), lessThan(2_000L));

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (SHOWCASE.showcase().jobs().cpuPool().active() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat("no CPU thread still runs the cancelled loop", SHOWCASE.showcase().jobs().cpuPool().active(), is(0));
        String next = Jobs.submit(SHOWCASE, "{\"kind\": \"cpu\", \"n\": 1000}").getString("id");
        Jobs.awaitStatus(SHOWCASE, next, "succeeded", Duration.ofSeconds(5));
        assertThat("it stays cancelled", Jobs.get(SHOWCASE, id).getString("status"), is("cancelled"));
    }

    @Test
    void cancellingAFinishedJobIs409() throws Exception {
        String id = Jobs.submit(SHOWCASE, "{\"kind\": \"cpu\", \"n\": 10}").getString("id");
        Jobs.awaitStatus(SHOWCASE, id, "succeeded", WAIT);
        Reply reply = SHOWCASE.delete("/jobs/" + id);
        assertThat(reply.body(), reply.status(), is(409));
        assertThat(reply.contentType(), containsString("application/problem+json"));
        assertThat(reply.json().getJsonObject("job").getString("status"), is("succeeded"));
        assertThat(Jobs.get(SHOWCASE, id).getString("status"), is("succeeded"));
    }

    @Test
    void unknownJobIs404() {
        for (String id : List.of("00000000-0000-0000-0000-000000000000", "not-a-uuid", "x".repeat(300))) {
            for (Reply reply : List.of(SHOWCASE.get("/jobs/" + id), SHOWCASE.delete("/jobs/" + id))) {
                assertThat(id, reply.status(), is(404));
                assertThat(reply.contentType(), containsString("application/problem+json"));
            }
        }
    }

    static Stream<String> badBodies() {
        return Stream.of(
                "", "not json", "[1, 2]", "{}", "{\"kind\": 5}", "{\"kind\": \"warp-drive\"}",
                "{\"kind\": \"cpu\", \"n\": 0}", "{\"kind\": \"cpu\", \"n\": 20000000001}",
                "{\"kind\": \"cpu\", \"n\": 1.5}", "{\"kind\": \"cpu\", \"n\": \"5\"}", "{\"kind\": \"cpu\", \"n\": 1e400}",
                "{\"kind\": \"cpu\", \"n\": -1}", "{\"kind\": \"cpu\", \"N\": 5}",
                "{\"kind\": \"process-data\"}", "{\"kind\": \"process-data\", \"message\": 7}",
                "{\"kind\": \"process-data\", \"message\": \"" + "m".repeat(1001) + "\"}",
                "{\"kind\": \"process-data\", \"message\": \"m\", \"steps\": 0}",
                "{\"kind\": \"process-data\", \"message\": \"m\", \"steps\": 101}",
                "{\"kind\": \"process-data\", \"message\": \"m\", \"stepMs\": -1}",
                "{\"kind\": \"process-data\", \"message\": \"m\", \"stepMs\": 60001}",
                "{\"kind\": \"s3-upload\", \"bucket\": \"ok-bucket\", \"key\": \"k\", \"bytes\": 10485761}",
                "{\"kind\": \"s3-upload\", \"bucket\": \"Bad Bucket\", \"key\": \"k\"}",
                "{\"kind\": \"s3-upload\", \"bucket\": \"ok-bucket\", \"key\": \"../etc/passwd\"}",
                "{\"kind\": \"s3-upload\", \"bucket\": \"ok-bucket\"}",
                "{\"kind\": \"runpod\", \"input\": \"a string\"}",
                "{\"kind\": \"runpod\", \"input\": {\"x\": \"" + "y".repeat(4_001) + "\"}}");
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void badBodyIs400AndStoresNothing(String body) {
        long before = SHOWCASE.get("/jobs?size=1").json().getJsonNumber("total").longValue();
        Reply reply = SHOWCASE.post("/jobs", body);
        assertThat(reply.body(), reply.status(), is(400));
        assertThat(reply.contentType(), containsString("application/problem+json"));
        assertThat(reply.json().getInt("status"), is(400));
        assertThat("nothing stored", SHOWCASE.get("/jobs?size=1").json().getJsonNumber("total").longValue(), is(before));
    }

    @Test
    void otherCodeSubmitsJobsLikeThePost() throws Exception {
        Job job = SHOWCASE.showcase().jobs().submit("process-data",
                Json.createObjectBuilder().add("message", "from code").add("steps", 1).add("stepMs", 0).build());
        assertThat(job.location(), is("/jobs/" + job.id()));
        JsonObject done = Jobs.awaitStatus(SHOWCASE, job.id(), "succeeded", WAIT);
        assertThat(done.getJsonObject("result").getString("message"), is("from code"));
    }
}
