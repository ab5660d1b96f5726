package dev.loomshowcase.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.Problem;
import dev.loomshowcase.web.RequestBodies;

import io.helidon.config.Config;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * A RunPod-like job API: {@code POST /runpod/run} queues a job and returns its id at once;
 * {@code GET /runpod/status/{id}} reports IN_QUEUE, then IN_PROGRESS, then COMPLETED as time
 * passes. This is the "submit, then poll" shape of slow external work. No thread works on the
 * job: its status is computed from the clock, so thousands of jobs cost nothing.
 */
public final class RunPodMock implements EndpointService {

    private final Duration queueTime;
    private final Duration runTime;
    private final int maxJobs;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();

    private record Job(String id, long submittedNanos, JsonObject input) {
    }

    /** From the {@code upstream.runpod} node: {@code queue-ms}, {@code run-ms}, {@code max-jobs}. */
    public static RunPodMock create(Config config) {
        return new RunPodMock(Duration.ofMillis(config.get("queue-ms").asLong().get()),
                Duration.ofMillis(config.get("run-ms").asLong().get()), config.get("max-jobs").asInt().get());
    }

    /**
     * @param queueTime how long a job stays IN_QUEUE
     * @param runTime   how long it then stays IN_PROGRESS
     * @param maxJobs   how many jobs are remembered; the oldest are forgotten first
     */
    public RunPodMock(Duration queueTime, Duration runTime, int maxJobs) {
        this.queueTime = queueTime;
        this.runTime = runTime;
        this.maxJobs = maxJobs;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(Method.POST, "/runpod/run", "queues a job and returns its id at once", this::run),
                Endpoint.of(Method.GET, "/runpod/status/{id}",
                        "the job's status: IN_QUEUE, then IN_PROGRESS, then COMPLETED as time passes", this::status));
    }

    private void run(ServerRequest req, ServerResponse res) {
        JsonObject body = req.content().hasEntity() ? RequestBodies.jsonObject(req) : JsonObject.EMPTY_JSON_OBJECT;
        JsonObject input = body.containsKey("input") && body.get("input") instanceof JsonObject in
                ? in : JsonObject.EMPTY_JSON_OBJECT;
        Job job = new Job(UUID.randomUUID().toString(), System.nanoTime(), input);
        jobs.put(job.id(), job);
        order.add(job.id());
        while (jobs.size() > maxJobs) {
            String oldest = order.poll();
            if (oldest == null) {
                break;
            }
            jobs.remove(oldest);
        }
        res.send(describe(job));
    }

    private void status(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        Job job = jobs.get(id);
        if (job == null) {
            throw Problem.notFound("No RunPod job with id '" + (id.length() > 64 ? id.substring(0, 64) + "…" : id) + "'.");
        }
        res.send(describe(job));
    }

    private JsonObject describe(Job job) {
        long elapsedMs = (System.nanoTime() - job.submittedNanos()) / 1_000_000;
        long queueMs = queueTime.toMillis();
        long runMs = runTime.toMillis();
        JsonObjectBuilder out = JSON.createObjectBuilder().add("id", job.id());
        if (elapsedMs < queueMs) {
            out.add("status", "IN_QUEUE");
        } else if (elapsedMs < queueMs + runMs) {
            out.add("status", "IN_PROGRESS");
        } else {
            out.add("status", "COMPLETED")
                    .add("executionTime", runMs)
                    .add("delayTime", queueMs)
                    .add("output", JSON.createObjectBuilder().add("echo", job.input()));
        }
        return out.build();
    }
}
