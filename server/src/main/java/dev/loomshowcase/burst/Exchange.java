package dev.loomshowcase.burst;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request's claim on being counted. Exactly one of two things happens to it: the request
 * finishes ({@link #finish()}: its thread records the answer or the failure), or the run's
 * deadline abandons it ({@link #abandon()}: the run counts it as unfinished and closes its
 * socket, which ends the blocked read). Whichever comes first wins, so no request is counted
 * twice or not at all, and no thread outlives the run by more than a closed socket's exception.
 */
public final class Exchange {

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int ABANDONED = 2;

    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private volatile Connection connection;

    /**
     * The connection this request now uses, so that abandoning it can close it.
     *
     * @return false when the exchange was abandoned already (the connection is then closed)
     */
    public boolean use(Connection used) {
        connection = used;
        if (state.get() == ABANDONED) {
            used.close();
            return false;
        }
        return true;
    }

    /** Claims the result for the request's own thread; false when the deadline came first. */
    public boolean finish() {
        return state.compareAndSet(RUNNING, DONE);
    }

    /** Claims the result for the deadline and closes the socket; false when the request finished first. */
    public boolean abandon() {
        if (!state.compareAndSet(RUNNING, ABANDONED)) {
            return false;
        }
        Connection used = connection;
        if (used != null) {
            used.close();
        }
        return true;
    }
}
