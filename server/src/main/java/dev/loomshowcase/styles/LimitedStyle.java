package dev.loomshowcase.styles;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.loomshowcase.web.Problem;

import io.helidon.common.concurrency.limits.FixedLimit;
import io.helidon.common.concurrency.limits.LimitAlgorithm.Outcome;
import io.helidon.common.concurrency.limits.LimitAlgorithm.Token;
import io.helidon.config.Config;

/**
 * Runs the work on the request's own virtual thread, as {@code virtual} does, but only while it
 * holds a permit of Helidon's concurrency limit ({@code FixedLimit}, helidon-common-concurrency-limits):
 * at most {@code permits} pieces of work at once, a bounded queue of requests waiting for a
 * permit, and a timeout on that wait. Past the queue, or past the timeout: 503 + Retry-After.
 *
 * <p>This is the answer to FastAPI's thread-pool tokens. Starlette runs {@code def} handlers on
 * AnyIO worker threads under a {@code CapacityLimiter} of 40 tokens, and the benchmark tutorial
 * sets {@code current_default_thread_limiter().total_tokens = 1}. There the tokens cap threads,
 * because threads are dear. Virtual threads are not: a pool of them would cap nothing worth
 * capping, and a pool of platform threads moves the work off the request's thread for nothing.
 * What still needs a cap is what the work uses (a database, an upstream's rate), so this style
 * limits how much work runs at once, not which threads run it. A request waiting for a permit is
 * its own virtual thread, parked.
 *
 * <p>The limit is used through its API ({@code tryAcquireOutcome} and the token it hands out),
 * not as the listener's {@code concurrency-limit}: that one covers every route of the socket and
 * answers past it with a bare 503 (no body, no Retry-After); here the refusal is the showcase's own.
 */
public final class LimitedStyle implements Style {

    private static final String NAME = "limited";

    private final FixedLimit limit;
    private final int permits;
    private final int queueLength;
    private final Duration queueTimeout;
    private final int retryAfterSeconds;
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    // Counted here and read by observe/ShowcaseMeters, rather than FixedLimit's own meters
    // (enable-metrics): in 4.5.0 its fixed_rejected_requests misses every refusal from the queue,
    // and its fixed_concurrent_requests is not lowered when a token is dropped (failed work).
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong refusedQueueFull = new AtomicLong();
    private final AtomicLong refusedTimedOut = new AtomicLong();

    private LimitedStyle(FixedLimit limit, int retryAfterSeconds) {
        this.limit = limit;
        this.permits = limit.prototype().permits();
        this.queueLength = Math.max(0, limit.prototype().queueLength());
        this.queueTimeout = limit.prototype().queueTimeout();
        this.retryAfterSeconds = retryAfterSeconds;
        if (permits < 1) {
            // FixedLimit reads 0 permits as "no limit at all": not a lesson this style can teach.
            throw new IllegalArgumentException("app.limited.permits must be >= 1, not " + permits);
        }
    }

    /**
     * @param config            the {@code app.limited} node: FixedLimit's own keys ({@code permits},
     *                          {@code queue-length}, {@code queue-timeout}, {@code fair})
     * @param retryAfterSeconds what a refused client is told
     */
    public static LimitedStyle create(Config config, int retryAfterSeconds) {
        return new LimitedStyle(FixedLimit.create(config), retryAfterSeconds);
    }

    /** {@code limited}: the last segment of its routes, and the tag of its meters. */
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "stays on the request's virtual thread, under Helidon's FixedLimit of " + permits + " permits";
    }

    @Override
    public <T> Answer<T> run(Callable<T> work) throws Exception {
        Outcome outcome;
        // Timed here, not from the outcome: in 4.5.0 a refusal after waiting in the queue reports
        // its end time as its start time (LimitAlgorithmOutcomeImpl.deferredRejection).
        long asked = System.nanoTime();
        waiting.incrementAndGet();
        try {
            // Takes a free permit, or parks this virtual thread in the limit's queue until one is
            // free or the queue timeout passes; a full queue refuses at once.
            outcome = limit.tryAcquireOutcome();
        } finally {
            waiting.decrementAndGet();
        }
        long waitedNanos = System.nanoTime() - asked;
        if (!(outcome instanceof Outcome.Accepted accepted)) {
            throw refused(waitedNanos);
        }
        admitted.incrementAndGet();
        Token token = accepted.token();
        inUse.incrementAndGet();
        boolean succeeded = false;
        try {
            Answer<T> answer = Answer.onCurrentThread(work.call())
                    .withNote("permits", permits)
                    .withNote("waitedForPermitMs", TimeUnit.NANOSECONDS.toMillis(waitedNanos));
            succeeded = true;
            return answer;
        } finally {
            inUse.decrementAndGet();
            // The permit goes back whatever the work did; the token tells the limit which it was.
            if (succeeded) {
                token.success();
            } else {
                token.dropped();
            }
        }
    }

    /**
     * The 503 of a refusal. FixedLimit does not say why it refused: a full queue refuses at once,
     * a timed-out wait after the whole queue timeout, so the time waited tells them apart.
     */
    private Problem refused(long waitedNanos) {
        boolean timedOut = queueLength > 0 && waitedNanos >= queueTimeout.toNanos();
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(waitedNanos);
        (timedOut ? refusedTimedOut : refusedQueueFull).incrementAndGet();
        String detail = timedOut
                ? "No permit of the " + NAME + " style's " + permits + " came free within its queue timeout of "
                        + queueTimeout.toMillis() + " ms. Try again shortly."
                : "The " + NAME + " style's " + permits + " permits are taken and " + queueLength
                        + " requests already wait for one. Try again shortly.";
        return Problem.busy(detail, retryAfterSeconds)
                .with("limit", NAME)
                .with("reason", timedOut ? "queue-timeout" : "queue-full")
                .with("permits", permits)
                .with("queueLength", queueLength)
                .with("waitedForPermitMs", waitedMs);
    }

    public int permits() {
        return permits;
    }

    /** Pieces of work holding a permit right now. */
    public int inUse() {
        return inUse.get();
    }

    /** Requests waiting for a permit right now. */
    public int waiting() {
        return waiting.get();
    }

    /** Requests let in so far (each got a permit). */
    public long admitted() {
        return admitted.get();
    }

    /** Requests refused with 503 because the queue was full. */
    public long refusedQueueFull() {
        return refusedQueueFull.get();
    }

    /** Requests refused with 503 because no permit came free within the queue timeout. */
    public long refusedTimedOut() {
        return refusedTimedOut.get();
    }
}
