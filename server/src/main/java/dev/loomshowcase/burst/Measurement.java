package dev.loomshowcase.burst;

import java.time.Instant;
import java.util.SortedMap;

/**
 * What one burst, open-loop or closed-loop run measured. Times are in milliseconds; a null means
 * "not measured" (no probe, no server pid) or "nothing to measure" (no answer at all). The race
 * page reads it as it is; the load generator (the loadgen module's {@code Report}) writes it as
 * text and JSON.
 *
 * @param mode          {@code burst}, {@code open} or {@code closed}
 * @param options       where the requests went and what watched the server
 * @param n             a burst's size; null otherwise
 * @param rate          an open loop's requests per second; null otherwise
 * @param durationS     an open or closed loop's send window in seconds; null for a burst
 * @param startedAt     when the run started (wall clock)
 * @param makespanMs    from t0 to the last answer; null when none came
 * @param latency       the answers' latencies: from t0 for a burst, from each request's intended
 *                      send time for an open loop, from each actual send for a closed loop
 * @param errors        failures by kind (see {@link Tally})
 * @param errorExamples one message per exception kind, for reading why
 * @param planned       how many requests the run meant to send
 * @param answered      how many got an answer (of any status)
 * @param achievedRate  answers per second over the send window or the makespan, whichever is
 *                      longer; null for a burst
 * @param connections   the most connections open at once; for a burst, {@code n}
 * @param probe         the side probe's view; null without a probe
 * @param server        what the run cost the server; null fields for what was not watched
 */
public record Measurement(String mode, Options options, Integer n, Double rate, Double durationS, Instant startedAt,
                          Double makespanMs, Latency latency, SortedMap<String, Long> errors,
                          SortedMap<String, String> errorExamples, long planned, long answered, Double achievedRate,
                          int connections, SideProbe.Summary probe, ServerStats.Usage server) {

    /** How many requests failed, in any way. */
    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
