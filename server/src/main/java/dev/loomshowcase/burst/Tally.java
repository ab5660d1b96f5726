package dev.loomshowcase.burst;

import java.util.SortedMap;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/**
 * What the requests of one run came to: a latency histogram of the answers, and the failures
 * counted by kind. Requests finish on many virtual threads at once, so every method holds the
 * lock; each holds it for a microsecond or so, far below what a loopback request costs.
 *
 * <p>A kind is the status code of an answer that is not 2xx ({@code "503"}), or the phase and
 * exception class of a request that got no answer ({@code "connect:ConnectException"},
 * {@code "receive:SocketTimeoutException"}), or {@code "unfinished"} for requests still running
 * at the run's deadline. Every answer, 2xx or not, is also in the histogram: a fast 503 is still
 * an answer, and the error count says it was not a good one.
 */
public final class Tally {

    private final Histogram latency = Latency.histogram();
    private final SortedMap<String, Long> errors = new TreeMap<>();
    private final SortedMap<String, String> examples = new TreeMap<>();
    private long answered;
    private long unanswered;
    private long lastAnswerNanos;
    private boolean anyAnswer;

    /** An answer arrived at {@code endNanos}, {@code latencyNanos} after it was due to leave. */
    public synchronized void answered(int status, long latencyNanos, long endNanos) {
        latency.recordValue(Latency.micros(latencyNanos));
        answered++;
        lastAnswerNanos = anyAnswer ? Math.max(lastAnswerNanos, endNanos) : endNanos;
        anyAnswer = true;
        if (status / 100 != 2) {
            errors.merge(String.valueOf(status), 1L, Long::sum);
        }
    }

    /** A request got no answer: it failed in {@code phase} (connect, send, receive) with {@code e}. */
    public synchronized void failed(String phase, Throwable e) {
        String kind = phase + ":" + e.getClass().getSimpleName();
        errors.merge(kind, 1L, Long::sum);
        unanswered++;
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause(); // "Too many open files" hides in causes
        }
        examples.putIfAbsent(kind, String.valueOf(root.getMessage()));
    }

    /** {@code count} requests of a kind that has no exception behind it, e.g. "unfinished". */
    public synchronized void failed(String kind, long count, String example) {
        if (count > 0) {
            errors.merge(kind, count, Long::sum);
            unanswered += count;
            examples.putIfAbsent(kind, example);
        }
    }

    /** Adds what {@code other} counted (a connection's own tally) to this one. */
    public void add(Tally other) {
        synchronized (other) {
            synchronized (this) {
                latency.add(other.latency);
                answered += other.answered;
                unanswered += other.unanswered;
                other.errors.forEach((kind, count) -> errors.merge(kind, count, Long::sum));
                other.examples.forEach(examples::putIfAbsent);
                if (other.anyAnswer) {
                    lastAnswerNanos = anyAnswer ? Math.max(lastAnswerNanos, other.lastAnswerNanos) : other.lastAnswerNanos;
                    anyAnswer = true;
                }
            }
        }
    }

    /** How many requests got no answer at all (failed or unfinished). */
    public synchronized long unanswered() {
        return unanswered;
    }

    public synchronized Latency latency() {
        return Latency.of(latency);
    }

    public synchronized SortedMap<String, Long> errors() {
        return new TreeMap<>(errors);
    }

    /** One message per error kind, for a person reading why. */
    public synchronized SortedMap<String, String> examples() {
        return new TreeMap<>(examples);
    }

    public synchronized long answered() {
        return answered;
    }

    /** When the last answer arrived ({@code System.nanoTime()}), or null when none did. */
    public synchronized Long lastAnswerNanos() {
        return anyAnswer ? lastAnswerNanos : null;
    }
}
