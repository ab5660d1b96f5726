package dev.loomshowcase;

import java.time.Duration;

import dev.loomshowcase.jobs.JobQueue;
import dev.loomshowcase.support.Jobs;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Full job queues refuse at once with 503 + Retry-After and store nothing, and a cancelled
 * queued job gives its place back. One CPU thread with one place in its queue, one I/O slot
 * with one place to wait: two long jobs fill each, deterministically, without sleeps.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings({
        "app.jobs.cpu-threads=1",
        "app.jobs.cpu-queue=1",
        "app.jobs.io-concurrency=1",
        "app.jobs.io-queue=1"})
class JobsQueueFullTest {

    private static RunningShowcase SHOWCASE;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String LONG_CPU = "{\"kind\": \"cpu\", \"n\": 20000000000}";
    private static final String LONG_IO = "{\"kind\": \"process-data\", \"message\": \"m\", \"steps\": 1, \"stepMs\": 60000}";

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private static long total() {
        return SHOWCASE.get("/jobs?size=1").json().getJsonNumber("total").longValue();
    }

    private static void assertRefused(String body, String pool) {
        long before = total();
        Reply refused = SHOWCASE.post("/jobs", body);
        assertThat(refused.body(), refused.status(), is(503));
        assertThat("a refused client is told when to come back", refused.header("Retry-After"), is("1"));
        assertThat(refused.contentType(), containsString("application/problem+json"));
        assertThat(refused.json().getString("pool"), is(pool));
        assertThat("a refused job is not left behind as queued", total(), is(before));
    }

    @Test
    void fullCpuQueueAnswers503AndACancelledQueuedJobFreesItsPlace() throws Exception {
        JobQueue jobs = SHOWCASE.showcase().jobs();
        String running = Jobs.submit(SHOWCASE, LONG_CPU).getString("id");
        Jobs.awaitStatus(SHOWCASE, running, "running", WAIT);
        String queued = Jobs.submit(SHOWCASE, LONG_CPU).getString("id");
        assertThat(Jobs.get(SHOWCASE, queued).getString("status"), is("queued"));
        assertThat(jobs.cpuPool().queued(), is(1));

        assertRefused("{\"kind\": \"cpu\", \"n\": 1000}", "jobs-cpu");

        Reply cancelled = SHOWCASE.delete("/jobs/" + queued);
        assertThat(cancelled.body(), cancelled.status(), is(200));
        assertThat(cancelled.json().getString("status"), is("cancelled"));
        assertThat(cancelled.json().getString("error"), is("Cancelled before it started."));
        assertThat("it never ran", cancelled.json().get("startedAt"), is(JsonValue.NULL));
        assertThat("its place in the queue is free at once", jobs.cpuPool().queued(), is(0));

        String next = Jobs.submit(SHOWCASE, "{\"kind\": \"cpu\", \"n\": 1000}").getString("id");
        assertThat(SHOWCASE.delete("/jobs/" + running).json().getString("status"), is("cancelled"));
        Jobs.awaitStatus(SHOWCASE, next, "succeeded", WAIT);
        assertThat("the cancelled queued job never ran", Jobs.get(SHOWCASE, queued).get("startedAt"), is(JsonValue.NULL));
    }

    @Test
    void fullIoQueueAnswers503() throws Exception {
        JobQueue jobs = SHOWCASE.showcase().jobs();
        String running = Jobs.submit(SHOWCASE, LONG_IO).getString("id");
        Jobs.awaitStatus(SHOWCASE, running, "running", WAIT);
        String waiting = Jobs.submit(SHOWCASE, LONG_IO).getString("id");
        assertThat("one slot, taken", jobs.ioRunning(), is(1));
        assertThat("the second waits for the slot", Jobs.get(SHOWCASE, waiting).getString("status"), is("queued"));

        assertRefused("{\"kind\": \"process-data\", \"message\": \"m\", \"stepMs\": 0}", "jobs-io");

        assertThat(SHOWCASE.delete("/jobs/" + waiting).json().getString("status"), is("cancelled"));
        Reply stopped = SHOWCASE.delete("/jobs/" + running);
        assertThat(stopped.body(), stopped.status(), is(200));
        assertThat("the sleep is interrupted, not waited out", stopped.json().getString("status"), is("cancelled"));
        assertThat(stopped.elapsedMs() < 2_000, is(true));

        String next = Jobs.submit(SHOWCASE, "{\"kind\": \"process-data\", \"message\": \"m\", \"steps\": 1, \"stepMs\": 0}")
                .getString("id");
        Jobs.awaitStatus(SHOWCASE, next, "succeeded", WAIT);
        assertThat(jobs.ioRunning(), is(0));
    }
}
