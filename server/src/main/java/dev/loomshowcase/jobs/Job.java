package dev.loomshowcase.jobs;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * A job as stored and as the API shows it.
 *
 * @param id         a random UUID
 * @param kind       the {@link JobKind#name()} it runs
 * @param status     where it is in its life
 * @param progress   0 to 100, as last reported by the work
 * @param params     the parameters it runs with, defaults filled in
 * @param result     what the work returned, or null until it succeeds
 * @param error      why it failed, was cancelled or interrupted, or null
 * @param createdAt  when it was accepted
 * @param startedAt  when its work started, or null
 * @param finishedAt when it reached a finished status, or null
 */
public record Job(String id, String kind, JobStatus status, int progress, JsonObject params, JsonValue result,
                  String error, OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt) {

    /** Now, at the precision the database keeps, so a job read back equals the one written. */
    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    /** Where the API serves it. */
    public String location() {
        return "/jobs/" + id;
    }

    /**
     * The JSON form. {@code timings} tells how long it waited for a thread and how long it ran
     * (so far, while it still runs): the numbers that show whether a pool is too small.
     */
    public JsonObject json() {
        OffsetDateTime now = now();
        OffsetDateTime queuedUntil = startedAt != null ? startedAt : finishedAt != null ? finishedAt : now;
        JsonObjectBuilder timings = JSON.createObjectBuilder()
                .add("queuedMs", Duration.between(createdAt, queuedUntil).toMillis());
        if (startedAt != null) {
            timings.add("runMs", Duration.between(startedAt, finishedAt != null ? finishedAt : now).toMillis());
        } else {
            timings.addNull("runMs");
        }
        return JSON.createObjectBuilder()
                .add("id", id)
                .add("kind", kind)
                .add("status", status.text())
                .add("progress", progress)
                .add("params", params)
                .add("result", result == null ? JsonValue.NULL : result)
                .add("error", error == null ? JsonValue.NULL : JSON.createValue(error))
                .add("createdAt", createdAt.toString())
                .add("startedAt", text(startedAt))
                .add("finishedAt", text(finishedAt))
                .add("timings", timings)
                .build();
    }

    private static JsonValue text(OffsetDateTime time) {
        return time == null ? JsonValue.NULL : JSON.createValue(time.toString());
    }
}
