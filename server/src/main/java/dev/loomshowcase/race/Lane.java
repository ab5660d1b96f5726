package dev.loomshowcase.race;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import dev.loomshowcase.burst.Progress;
import dev.loomshowcase.work.Route;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * One style's run in a race: the burst tells it of each request's end, and the event stream
 * takes what is new every tick. The end times themselves travel (not just a count per tick), so
 * the page draws the exact curve of completions, not a staircase of 100 ms steps.
 */
final class Lane implements Progress {

    private final Route route;
    private final String url;
    // A ReentrantLock, not synchronized: requests end on many virtual threads at once.
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Double> unsentEnds = new ArrayList<>();
    private int completed;
    private int errors;
    private int pinned;
    private long t0Nanos;
    private Instant t0;
    private long endNanos;

    Lane(Route route, String url) {
        this.route = route;
        this.url = url;
    }

    String style() {
        return route.style();
    }

    String path() {
        return route.path();
    }

    String url() {
        return url;
    }

    @Override
    public void started(long t0Nanos) {
        lock.lock();
        try {
            this.t0Nanos = t0Nanos;
            this.t0 = Instant.now();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void ended(long sinceT0Nanos, boolean failed) {
        lock.lock();
        try {
            if (failed) {
                errors++;
            } else {
                completed++;
                unsentEnds.add(Math.round(sinceT0Nanos / 1e4) / 100.0);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The burst is over: the lane's clock stops here. */
    void finished() {
        lock.lock();
        try {
            endNanos = System.nanoTime();
        } finally {
            lock.unlock();
        }
    }

    /** A pinning JFR saw on this lane's route; returns how many so far. */
    int pinned() {
        lock.lock();
        try {
            return ++pinned;
        } finally {
            lock.unlock();
        }
    }

    int pinnedSoFar() {
        lock.lock();
        try {
            return pinned;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the burst has reached t0 (its connections are open and its requests have left). */
    boolean started() {
        lock.lock();
        try {
            return t0 != null;
        } finally {
            lock.unlock();
        }
    }

    /** Milliseconds from this lane's t0 to {@code moment}; null before t0. */
    Double msSinceT0(Instant moment) {
        lock.lock();
        try {
            return t0 == null ? null : (moment.toEpochMilli() - t0.toEpochMilli()) * 1.0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The {@code progress} event: counts so far, time since t0, and the end times (ms since t0)
     * of the answers not sent before.
     */
    JsonObject progress() {
        lock.lock();
        try {
            JsonArrayBuilder ends = JSON.createArrayBuilder();
            unsentEnds.stream().sorted().forEach(ends::add);
            unsentEnds.clear();
            return JSON.createObjectBuilder()
                    .add("style", route.style())
                    .add("completed", completed)
                    .add("errors", errors)
                    .add("elapsedMs", t0 == null ? 0 : ((endNanos == 0 ? System.nanoTime() : endNanos) - t0Nanos) / 1_000_000)
                    .add("ends", ends)
                    .build();
        } finally {
            lock.unlock();
        }
    }
}
