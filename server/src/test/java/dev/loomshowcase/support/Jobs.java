package dev.loomshowcase.support;

import java.time.Duration;
import java.util.Set;
import java.util.function.Predicate;

import dev.loomshowcase.support.ShowcaseClient.Reply;

import jakarta.json.JsonObject;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Submitting and watching jobs through the API, with bounded waits: a test that waits for a job
 * fails with the job's last state instead of hanging.
 */
public final class Jobs {

    private static final Set<String> FINISHED = Set.of("succeeded", "failed", "cancelled", "interrupted");

    private Jobs() {
    }

    /** POST /jobs, asserting 202; returns the job as the response shows it. */
    public static JsonObject submit(ShowcaseClient client, String json) {
        Reply reply = client.post("/jobs", json);
        assertThat(reply.body(), reply.status(), is(202));
        return reply.json();
    }

    /** GET /jobs/{id}, asserting 200. */
    public static JsonObject get(ShowcaseClient client, String id) {
        Reply reply = client.get("/jobs/" + id);
        assertThat(reply.body(), reply.status(), is(200));
        return reply.json();
    }

    /** Polls the job every 20 ms until {@code until} holds, for at most {@code timeout}. */
    public static JsonObject await(ShowcaseClient client, String id, Predicate<JsonObject> until, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject job = get(client, id);
        while (!until.test(job)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " did not get there within " + timeout + "; last seen: " + job);
            }
            Thread.sleep(20);
            job = get(client, id);
        }
        return job;
    }

    /** Polls until the job has the status, for at most {@code timeout}. */
    public static JsonObject awaitStatus(ShowcaseClient client, String id, String status, Duration timeout)
            throws InterruptedException {
        return await(client, id, job -> {
            String now = job.getString("status");
            if (!now.equals(status) && FINISHED.contains(now)) {
                throw new AssertionError("job " + id + " ended " + now + ", not " + status + ": " + job);
            }
            return now.equals(status);
        }, timeout);
    }
}
