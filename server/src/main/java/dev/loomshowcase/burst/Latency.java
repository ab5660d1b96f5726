package dev.loomshowcase.burst;

import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.HdrHistogram.Histogram;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * Percentiles of a latency histogram, in milliseconds with microsecond resolution. The
 * histograms themselves record microseconds in an HdrHistogram (3 significant digits, up to one
 * hour), so a p99 is a p99 of every request, not of a sample, at a fixed small memory cost
 * however long a run is.
 *
 * @param count how many values were recorded; with 0 the percentiles mean nothing (JSON null)
 */
public record Latency(double p50, double p90, double p99, double max, double mean, long count) {

    /** The longest latency a histogram can hold: longer values are recorded as this. */
    static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    /** A new, empty histogram for latencies in microseconds. Not thread-safe: guard it. */
    static Histogram histogram() {
        return new Histogram(1, HIGHEST_MICROS, 3);
    }

    /** Nanoseconds to what a histogram records: microseconds, clamped to its range. */
    static long micros(long nanos) {
        return Math.clamp(TimeUnit.NANOSECONDS.toMicros(nanos), 0, HIGHEST_MICROS);
    }

    /** The summary of a histogram of microseconds. */
    static Latency of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0, 0);
        }
        return new Latency(ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()), Math.round(micros.getMean()) / 1_000.0,
                micros.getTotalCount());
    }

    private static double ms(long micros) {
        return micros / 1_000.0;
    }

    /** {@code {p50, p90, p99, max, mean, count}}; the percentiles are null when nothing was recorded. */
    public JsonObjectBuilder json() {
        JsonObjectBuilder json = JSON.createObjectBuilder();
        if (count == 0) {
            for (String key : new String[] {"p50", "p90", "p99", "max", "mean"}) {
                json.addNull(key);
            }
        } else {
            json.add("p50", p50).add("p90", p90).add("p99", p99).add("max", max).add("mean", mean);
        }
        return json.add("count", count);
    }

    /** The same, built. */
    public JsonObject toJson() {
        return json().build();
    }
}
