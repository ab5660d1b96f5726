package dev.loomshowcase.burst;

/**
 * What a burst tells a live view while it runs (the race page draws completions over time from
 * it). Optional: {@link #NONE} by default, so the command-line runs are unchanged.
 *
 * <p>Called on the requests' own threads, many at once: an implementation must be thread-safe
 * and quick, since its time is spent inside the measurement.
 */
public interface Progress {

    /** Tells nothing. */
    Progress NONE = (sinceT0Nanos, failed) -> {
    };

    /** Every connection is open and the requests leave now: the burst's t0, as {@link System#nanoTime()}. */
    default void started(long t0Nanos) {
    }

    /**
     * One request ended, {@code sinceT0Nanos} after t0 (0 for a request that failed before t0,
     * while connecting). {@code failed}: no answer, or an answer that is not 2xx.
     */
    void ended(long sinceT0Nanos, boolean failed);
}
