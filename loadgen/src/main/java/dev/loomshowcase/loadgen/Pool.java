package dev.loomshowcase.loadgen;

import java.io.IOException;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import dev.loomshowcase.burst.Connection;
import dev.loomshowcase.burst.Target;

/**
 * The open loop's keep-alive connections, grown on demand: a request takes an idle connection
 * or, when none is idle, opens a new one at once. No request ever waits for another's
 * connection, so the client adds no queue of its own to what it measures; the only bound is
 * the open-file limit, past which a request fails as {@code connect:TooManyConnections}
 * instead of taking the process's last file descriptors.
 */
final class Pool implements AutoCloseable {

    /** A request found every allowed connection busy. */
    static final class TooManyConnections extends IOException {

        TooManyConnections(int max) {
            super("all " + max + " connections the open-file limit allows are busy");
        }
    }

    private final Target target;
    private final int max;
    private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private volatile boolean closed;

    Pool(Target target, int max) {
        this.target = target;
        this.max = max;
    }

    /** An idle connection (most recently used first), or a new one. */
    Connection take(int connectTimeoutMs) throws IOException {
        Connection connection = idle.pollFirst();
        return connection != null ? connection : open(connectTimeoutMs);
    }

    /** A new connection, even when some are idle (to replace one that turned out stale). */
    Connection open(int connectTimeoutMs) throws IOException {
        int now = open.incrementAndGet();
        if (now > max) {
            open.decrementAndGet();
            throw new TooManyConnections(max);
        }
        peak.accumulateAndGet(now, Math::max);
        try {
            return Connection.open(target.address(), connectTimeoutMs);
        } catch (IOException | RuntimeException e) {
            open.decrementAndGet();
            throw e;
        }
    }

    /** A connection whose answer was read in full and that the server keeps open. */
    void release(Connection connection) {
        idle.offerFirst(connection);
        if (closed && idle.remove(connection)) {
            discard(connection);
        }
    }

    /** A connection that is done with: failed, closed by the server, or abandoned. */
    void discard(Connection connection) {
        connection.close();
        open.decrementAndGet();
    }

    /** The most connections that were open at once. */
    int peak() {
        return peak.get();
    }

    @Override
    public void close() {
        closed = true;
        for (Connection connection = idle.pollFirst(); connection != null; connection = idle.pollFirst()) {
            discard(connection);
        }
    }
}
