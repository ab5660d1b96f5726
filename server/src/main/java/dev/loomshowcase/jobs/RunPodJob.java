package dev.loomshowcase.jobs;

import java.time.Duration;
import java.util.Set;

import dev.loomshowcase.upstream.UpstreamClient;
import dev.loomshowcase.web.Problem;

import io.helidon.config.Config;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code runpod}: submit work to a RunPod-like API, then poll its status until it completes,
 * the shape of every slow external job (inference, transcoding, a batch export). Polling is a
 * loop of sleeps and blocking calls: on a virtual thread it costs no thread while it waits,
 * so a thousand jobs polling at once are a thousand cheap threads, not a thread pool to size.
 * The wait is bounded: an upstream job that never completes fails the job instead of
 * polling forever.
 */
public final class RunPodJob implements JobKind {

    /** Largest {@code input} accepted, as JSON text: it is stored with the job and echoed in its result. */
    static final int MAX_INPUT_CHARS = 4_000;

    private final UpstreamClient upstream;
    private final Duration pollEvery;
    private final Duration maxWait;

    /**
     * @param pollEvery how long to wait between two status calls
     * @param maxWait   how long the upstream job may take in all before this job fails
     */
    /** From the {@code app.jobs.runpod} node: {@code poll-ms}, {@code max-wait-ms}. */
    public static RunPodJob create(UpstreamClient upstream, Config config) {
        return new RunPodJob(upstream, Duration.ofMillis(config.get("poll-ms").asLong().get()),
                Duration.ofMillis(config.get("max-wait-ms").asLong().get()));
    }

    public RunPodJob(UpstreamClient upstream, Duration pollEvery, Duration maxWait) {
        this.upstream = upstream;
        this.pollEvery = pollEvery;
        this.maxWait = maxWait;
    }

    @Override
    public String name() {
        return "runpod";
    }

    @Override
    public boolean cpuBound() {
        return false;
    }

    @Override
    public String parameters() {
        return "input: a JSON object of at most " + MAX_INPUT_CHARS + " characters (default {})";
    }

    @Override
    public JsonObject params(JsonObject given) {
        Params.allowOnly(given, name(), Set.of("input"));
        return JSON.createObjectBuilder()
                .add("input", Params.object(given, "input", MAX_INPUT_CHARS))
                .build();
    }

    @Override
    public JsonValue run(JsonObject params, Progress progress) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        JsonObject reply = upstream.runPod(params.getJsonObject("input"));
        String id = text(reply, "id");
        while (true) {
            String status = text(reply, "status");
            switch (status) {
                case "COMPLETED" -> {
                    progress.report(100);
                    return reply;
                }
                case "FAILED", "CANCELLED", "TIMED_OUT" -> throw Problem.badGateway(
                        "The RunPod job " + id + " ended as " + status + ".", null);
                case "IN_PROGRESS" -> progress.report(50);
                default -> progress.report(10);
            }
            if (System.nanoTime() > deadline) {
                throw Problem.gatewayTimeout("The RunPod job " + id + " did not complete within "
                        + maxWait.toMillis() + " ms (last status " + status + ").", null);
            }
            progress.check();
            Thread.sleep(pollEvery);
            reply = upstream.runPodStatus(id);
        }
    }

    private static String text(JsonObject reply, String name) {
        if (!(reply.get(name) instanceof JsonString value)) {
            throw Problem.badGateway("The RunPod answer has no string '" + name + "'.", null);
        }
        return value.getString();
    }
}
