package dev.loomshowcase.jobs;

import java.util.logging.Level;
import java.util.logging.Logger;

import dev.loomshowcase.web.Problem;

import jakarta.json.JsonValue;

/**
 * How a job ended, written to its row ({@link JobStore}) once its thread can no longer be
 * interrupted, so the outcome is written whole: a client polling {@code GET /jobs/{id}} sees
 * succeeded, failed, cancelled or interrupted, never a job that stays "running" with nothing
 * running it. FastAPI's {@code BackgroundTasks} keep no outcome at all.
 */
final class JobOutcomes {

    private static final Logger LOGGER = Logger.getLogger(JobOutcomes.class.getName());

    /** A finished job's status, result and error, as its row will hold them. */
    record Outcome(JobStatus status, JsonValue result, String error) {
    }

    private final JobStore store;

    JobOutcomes(JobStore store) {
        this.store = store;
    }

    static Outcome succeeded(JsonValue result) {
        return new Outcome(JobStatus.SUCCEEDED, result, null);
    }

    /** What an exception out of the work means: the cancel or the shutdown that caused it, or a failure. */
    static Outcome ended(RunningJob job, boolean started, Throwable e) {
        if (job.cancelled()) {
            return new Outcome(JobStatus.CANCELLED, null,
                    started ? "Cancelled while running." : "Cancelled before it started.");
        }
        if (job.stopping()) {
            return new Outcome(JobStatus.INTERRUPTED, null,
                    "The server stopped while this job was " + (started ? "running." : "queued."));
        }
        LOGGER.log(e instanceof Exception ? Level.FINE : Level.WARNING, "Job " + job.id() + " failed", e);
        return new Outcome(JobStatus.FAILED, null,
                e instanceof Problem ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    /** Writes the outcome; a success that cannot be stored (its result too large) is recorded as failed. */
    void record(String id, Outcome outcome, int progress) {
        int at = outcome.status() == JobStatus.SUCCEEDED ? 100 : progress;
        try {
            store.finish(id, outcome.status(), at, outcome.result(), outcome.error(), Job.now());
        } catch (RuntimeException e) {
            if (outcome.status() == JobStatus.SUCCEEDED) {
                // The job still must not look successful without its result.
                record(id, new Outcome(JobStatus.FAILED, null, "The result could not be stored: " + e.getMessage()), at);
            } else {
                LOGGER.log(Level.WARNING, "Could not record that job " + id + " ended " + outcome.status().text()
                        + "; the next start will mark it interrupted.", e);
            }
        }
    }

    /** Removes a job that was stored but refused (its client heard 503 and got no id). */
    void forget(String id) {
        try {
            store.delete(id);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not remove refused job " + id
                    + "; the next start will mark it interrupted.", e);
        }
    }
}
