package dev.loomshowcase.loadgen;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.loomshowcase.burst.Measurement;
import dev.loomshowcase.burst.Options;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * Open loops at increasing rates, to find the highest rate a server sustains with its p99
 * under a bound: the number that says how much load a style takes before its users notice,
 * where a single burst only says how it copes with one spike.
 *
 * <p>A rate passes when its p99 is at most the bound and no request failed. The sweep stops at
 * the first rate that does not pass: higher rates would only queue deeper, and take longer to
 * drain. Each step is a full {@link OpenLoop} run with its own probe and server statistics, and
 * starts only when the previous one's requests have all ended.
 */
public final class RateSweep {

    /** At most this many rates in one sweep. */
    public static final int MAX_RATES = 20;

    /**
     * What a sweep found.
     *
     * @param bestRate the highest rate that passed; null when even the first did not
     * @param stopped  the rate that did not pass, where the sweep stopped; null when all passed
     * @param steps    every run, in order
     */
    public record Result(Options options, List<Double> rates, double durationS, double p99BoundMs, Instant startedAt,
                         Double bestRate, Double stopped, List<Measurement> steps) {

        /** Every step's failures, added up. */
        public SortedMap<String, Long> errors() {
            SortedMap<String, Long> errors = new TreeMap<>();
            steps.forEach(step -> step.errors().forEach((kind, count) -> errors.merge(kind, count, Long::sum)));
            return errors;
        }

        public long errorCount() {
            return errors().values().stream().mapToLong(Long::longValue).sum();
        }

        public JsonObject toJson() {
            JsonObjectBuilder json = JSON.createObjectBuilder().add("mode", "sweep");
            if (options.label() != null) {
                json.add("label", options.label());
            }
            Report.nullable(json, "bestRate", bestRate);
            Report.nullable(json, "stoppedAtRate", stopped);
            json.add("p99BoundMs", p99BoundMs).add("errors", Report.counts(errors()));
            JsonArrayBuilder stepsJson = JSON.createArrayBuilder();
            steps.forEach(step -> stepsJson.add(Report.json(step)));
            JsonArrayBuilder ratesJson = JSON.createArrayBuilder();
            rates.forEach(ratesJson::add);
            return json.add("steps", stepsJson)
                    .add("config", JSON.createObjectBuilder()
                            .add("url", options.target().url())
                            .add("rates", ratesJson)
                            .add("durationS", durationS)
                            .add("p99BoundMs", p99BoundMs)
                            .add("timeoutS", options.timeout().toMillis() / 1_000.0)
                            .add("startedAt", startedAt.toString()))
                    .build();
        }

        public String summary() {
            StringBuilder text = new StringBuilder("sweep  GET " + options.target().url() + "  rates " + rates
                    + " for " + Report.decimal(durationS) + " s each, p99 bound " + Report.decimal(p99BoundMs) + " ms\n");
            for (Measurement step : steps) {
                text.append(String.format("  %8s/s  achieved %8s/s  p99 %10s ms  errors %s%s%n",
                        Report.decimal(step.rate()), Report.decimal(step.achievedRate()),
                        step.latency().count() == 0 ? "-" : Report.decimal(step.latency().p99()),
                        Report.kinds(step.errors()),
                        step.probe() == null ? "" : "  probe p99 " + Report.decimal(step.probe().latency().p99()) + " ms"));
            }
            text.append("  best rate  ").append(bestRate == null ? "none passed" : Report.decimal(bestRate) + "/s")
                    .append(stopped == null ? "" : " (stopped at " + Report.decimal(stopped) + "/s)").append('\n');
            return text.toString();
        }
    }

    private RateSweep() {
    }

    /**
     * Runs the rates in the order given (meant to increase), each for {@code duration}.
     *
     * @throws IllegalArgumentException when there are no rates, too many, or the bound is not positive
     */
    public static Result run(Options options, List<Double> rates, Duration duration, double p99BoundMs)
            throws InterruptedException {
        if (rates.isEmpty() || rates.size() > MAX_RATES) {
            throw new IllegalArgumentException("a sweep takes 1 to " + MAX_RATES + " rates, not " + rates.size());
        }
        if (!(p99BoundMs > 0)) {
            throw new IllegalArgumentException("the p99 bound must be above 0 ms");
        }
        Instant startedAt = Instant.now();
        List<Measurement> steps = new ArrayList<>();
        Double best = null;
        Double stopped = null;
        for (double rate : rates) {
            Measurement step = OpenLoop.run(options, rate, duration);
            steps.add(step);
            if (step.errorCount() == 0 && step.latency().count() > 0 && step.latency().p99() <= p99BoundMs) {
                best = best == null ? rate : Math.max(best, rate);
            } else {
                stopped = rate;
                break;
            }
        }
        return new Result(options, List.copyOf(rates), duration.toNanos() / 1e9, p99BoundMs, startedAt, best, stopped,
                List.copyOf(steps));
    }
}
