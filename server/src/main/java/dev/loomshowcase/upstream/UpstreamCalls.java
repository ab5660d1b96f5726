package dev.loomshowcase.upstream;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import dev.loomshowcase.web.Problem;

/**
 * The bound on upstream calls in flight across all requests ({@code upstream.max-in-flight}).
 * Every call holds a socket here (and, to the in-process mock, another one on its socket), so
 * without a bound a few wide fan-outs reach the process's open-file limit, and then Helidon's
 * accept loops stop for good. A call past the bound is refused at once with 503 +
 * {@code Retry-After}, before it opens anything; it never waits for a place.
 */
public final class UpstreamCalls {

    private final int max;
    private final int retryAfterSeconds;
    private final Semaphore places;
    private final AtomicLong refused = new AtomicLong();

    public UpstreamCalls(int max, int retryAfterSeconds) {
        if (max < 1) {
            throw new IllegalArgumentException("upstream.max-in-flight must be at least 1, got " + max);
        }
        this.max = max;
        this.retryAfterSeconds = retryAfterSeconds;
        this.places = new Semaphore(max);
    }

    /** Takes a place for one call; every {@code enter} that returns is followed by one {@link #exit}. */
    public void enter() {
        if (!places.tryAcquire()) {
            refused.incrementAndGet();
            throw Problem.busy("All " + max + " upstream calls this server allows at once are in flight"
                            + " (upstream.max-in-flight). Try again shortly.", retryAfterSeconds)
                    .with("maxInFlight", max);
        }
    }

    public void exit() {
        places.release();
    }

    /** Calls sent and not answered yet. */
    public int inFlight() {
        return max - places.availablePermits();
    }

    public int max() {
        return max;
    }

    /** Calls refused with 503 because {@link #max} were in flight. */
    public long refused() {
        return refused.get();
    }
}
