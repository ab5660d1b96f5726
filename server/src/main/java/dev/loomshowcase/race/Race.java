package dev.loomshowcase.race;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.loomshowcase.burst.Burst;
import dev.loomshowcase.burst.Latency;
import dev.loomshowcase.burst.Measurement;
import dev.loomshowcase.burst.Options;
import dev.loomshowcase.burst.SideProbe;
import dev.loomshowcase.burst.Target;
import dev.loomshowcase.web.JsonValues;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * One race: the plan's styles one after another, each a {@link Burst} (the load generator's too)
 * against this same server, so each style has the machine to itself and its makespan and side
 * probe belong to it alone. What happens is put on a queue as events; the event stream
 * ({@link RaceService}) writes them, and adds the live progress and the pinning in between.
 */
final class Race {

    /** One server-sent event: its name, its data, and the lane it is about (or null). */
    record Event(String name, JsonObject data, Lane lane) {

        boolean last() {
            return name.equals("done") || name.equals("failure");
        }
    }

    /**
     * How long the race waits after its last burst before {@code done}: JFR hands pinning events
     * to the monitor about once a second, so a pinning near the end arrives late.
     */
    static final Duration PINNING_SETTLE = Duration.ofMillis(1_500);
    /** A style with less time than this left is skipped rather than cut short at once. */
    private static final Duration LEAST_TIME = Duration.ofSeconds(1);

    private final RacePlan plan;
    private final List<Lane> lanes;
    private final Target probe;
    private final long deadlineNanos;
    private final boolean settlePinning;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final long startNanos = System.nanoTime();
    private volatile Lane current;
    private volatile boolean cancelled;

    /**
     * @param plan          what to run
     * @param origin        this server, e.g. {@code http://127.0.0.1:8080/}
     * @param maxTime       the whole race's bound; a style that would pass it is cut off there
     * @param settlePinning whether to wait for late pinning events before {@code done}
     */
    Race(RacePlan plan, Target origin, Duration maxTime, boolean settlePinning) {
        this.plan = plan;
        this.lanes = plan.routes().stream()
                .map(route -> new Lane(route, origin.resolve(plan.pathAndQuery(route)).url()))
                .toList();
        this.probe = origin.resolve("/whoami");
        this.deadlineNanos = startNanos + maxTime.toNanos();
        this.settlePinning = settlePinning;
    }

    List<Lane> lanes() {
        return lanes;
    }

    /** The lane running now, or null between lanes. */
    Lane current() {
        return current;
    }

    BlockingQueue<Event> events() {
        return events;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    /** The client has gone: finish the burst in flight (it is bounded) and run no more. */
    void cancel() {
        cancelled = true;
    }

    /**
     * Runs every lane in turn, putting their events on the queue, and returns the last one,
     * {@code done} or {@code failure}, for the caller to put once it has marked the race over:
     * a client that reads {@code done} may start the next race at once.
     */
    Event run() {
        try {
            for (Lane lane : lanes) {
                long left = deadlineNanos - System.nanoTime();
                if (cancelled || left < LEAST_TIME.toNanos()) {
                    events.put(new Event("result", skipped(lane, cancelled ? "the client went away"
                            : "the race's time bound was reached before this style's turn"), lane));
                    continue;
                }
                events.put(new Event("start", JSON.createObjectBuilder()
                        .add("style", lane.style()).add("url", lane.url())
                        .add("timeoutMs", TimeUnit.NANOSECONDS.toMillis(left)).build(), lane));
                current = lane;
                Measurement report;
                try {
                    report = Burst.run(Options.of(Target.of(lane.url()))
                            .withProbe(probe)
                            .withTimeout(Duration.ofNanos(left))
                            .withLabel(lane.style())
                            .withProgress(lane)
                            // Platform threads: the answers are read when they come, even while
                            // a style pins or fills every carrier this server's handlers share.
                            .withPlatformClients(), plan.n());
                } finally {
                    lane.finished();
                }
                events.put(new Event("result", result(lane, report), lane));
                current = null;
            }
            if (settlePinning && !cancelled) {
                Thread.sleep(PINNING_SETTLE);
            }
            JsonObjectBuilder pinned = JSON.createObjectBuilder();
            lanes.forEach(lane -> pinned.add(lane.style(), lane.pinnedSoFar()));
            return new Event("done", JSON.createObjectBuilder()
                    .add("totalMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos))
                    .add("pinnedEvents", pinned)
                    .build(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // restored: the thread ends here anyway
            return failure("Interrupted", "The race was interrupted.");
        } catch (RuntimeException e) {
            // e.g. the open-file limit cannot hold n connections: the load generator says so in words.
            return failure("Race failed", String.valueOf(e.getMessage()));
        }
    }

    static Event failure(String title, String detail) {
        return new Event("failure", JSON.createObjectBuilder().add("title", title).add("detail", detail).build(), null);
    }

    private JsonObject result(Lane lane, Measurement report) {
        Latency latency = report.latency();
        SideProbe.Summary probed = report.probe();
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("style", lane.style())
                .add("url", lane.url())
                .add("n", plan.n())
                .add("answered", report.answered());
        nullable(json, "makespanMs", report.makespanMs());
        boolean any = latency.count() > 0;
        nullable(json, "p50Ms", any ? latency.p50() : null);
        nullable(json, "p99Ms", any ? latency.p99() : null);
        nullable(json, "maxMs", any ? latency.max() : null);
        boolean probedAny = probed != null && probed.latency().count() > 0;
        nullable(json, "probeP99Ms", probedAny ? probed.latency().p99() : null);
        nullable(json, "probeMaxMs", probedAny ? probed.latency().max() : null);
        return json.add("errorCount", report.errorCount())
                .add("errors", JsonValues.of(report.errors()))
                .add("errorExamples", JsonValues.of(report.errorExamples()))
                .add("pinnedEvents", lane.pinnedSoFar())
                .build();
    }

    private JsonObject skipped(Lane lane, String why) {
        return JSON.createObjectBuilder()
                .add("style", lane.style())
                .add("url", lane.url())
                .add("skipped", why)
                .build();
    }

    private static void nullable(JsonObjectBuilder json, String key, Double value) {
        if (value == null) {
            json.addNull(key);
        } else {
            json.add(key, Math.round(value * 10) / 10.0);
        }
    }

    /** The {@code race} event: the plan, as the page shows it before anything runs. */
    JsonObject planJson(Duration maxTime, Map<String, Object> pinning) {
        return JSON.createObjectBuilder()
                .add("scenario", plan.scenario())
                .add("n", plan.n())
                .add("work", JsonValues.of(plan.work()))
                .add("styles", JsonValues.of(lanes.stream()
                        .map(lane -> Map.of("style", lane.style(), "url", lane.url()))
                        .toList()))
                .add("maxSeconds", maxTime.toSeconds())
                .add("probe", probe.url() + " every " + SideProbe.EVERY.toMillis() + " ms")
                .add("pinningMonitor", JsonValues.of(pinning))
                .add("note", "Styles run one after another, each with the machine to itself, so a makespan and a "
                        + "probe p99 belong to that style alone. The load generator runs in this same JVM.")
                .build();
    }
}
