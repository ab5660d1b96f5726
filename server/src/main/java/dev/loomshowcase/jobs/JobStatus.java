package dev.loomshowcase.jobs;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a job is in its life. {@code interrupted} is its own status rather than {@code failed}:
 * the work did nothing wrong, the server stopped under it, and a client may want to submit it
 * again.
 */
public enum JobStatus {
    /** Accepted, waiting for a thread (CPU kinds) or a concurrency slot (I/O kinds). */
    QUEUED,
    /** The work has started. */
    RUNNING,
    /** The work returned; its result is stored. */
    SUCCEEDED,
    /** The work threw; the reason is stored as the job's error. */
    FAILED,
    /** A client cancelled it, before it started or while it ran. */
    CANCELLED,
    /** The server stopped (or died) while it was queued or running. */
    INTERRUPTED;

    /** The status as the API and the database spell it. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether nothing will happen to the job any more. */
    public boolean finished() {
        return this != QUEUED && this != RUNNING;
    }

    /** Every status as spelled, for error messages. */
    public static List<String> texts() {
        return Arrays.stream(values()).map(JobStatus::text).toList();
    }

    /** The status spelled {@code text}, if there is one. */
    public static Optional<JobStatus> of(String text) {
        return Arrays.stream(values()).filter(status -> status.text().equals(text)).findFirst();
    }
}
