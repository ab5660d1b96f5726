package dev.loomshowcase.web;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

import io.helidon.config.Config;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * Refuses to start when the process's open-file limit ({@code ulimit -n}) cannot hold every
 * socket the configured bounds allow. Helidon 4.5.0's accept loop ends for good on its first
 * accept failure ("Too many open files ... this server socket is terminating now") and has no
 * API to restart one listener, so the showcase makes that failure impossible instead: each
 * socket's {@code max-tcp-connections}, plus two client sockets per upstream call in flight
 * (blocking and asynchronous clients each keep theirs), plus {@link #SPARE}, must fit.
 */
public final class OpenFileBudget {

    /** For everything else: jars, the database, JFR recordings, the race's own clients (n ≤ 1000). */
    public static final int SPARE = 2_000;

    private OpenFileBudget() {
    }

    /** @throws IllegalStateException in one line, naming the limit, the budget and the keys to change */
    public static void check(Config config) {
        long main = config.get("server.max-tcp-connections").asLong().get();
        long upstreamSocket = config.get("upstream.socket.max-tcp-connections").asLong().get();
        long inFlight = config.get("upstream.max-in-flight").asLong().get();
        if (main < 1 || upstreamSocket < 1) {
            throw new IllegalStateException("server.max-tcp-connections and upstream.socket.max-tcp-connections must be"
                    + " set (got " + main + " and " + upstreamSocket + "): without them enough connections exhaust the"
                    + " open-file limit and stop the server's listeners for good.");
        }
        long needed = main + upstreamSocket + 2 * inFlight + SPARE;
        OptionalLong limit = limit();
        if (limit.isPresent() && limit.getAsLong() < needed) {
            throw new IllegalStateException("ulimit -n is " + limit.getAsLong() + ", below the " + needed
                    + " open files the bounds need (server.max-tcp-connections " + main
                    + " + upstream.socket.max-tcp-connections " + upstreamSocket + " + 2 × upstream.max-in-flight "
                    + inFlight + " + " + SPARE + " spare): raise ulimit -n or lower those bounds.");
        }
    }

    /** The soft limit on open files, where the JVM can tell. */
    static OptionalLong limit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os
                ? OptionalLong.of(os.getMaxFileDescriptorCount()) : OptionalLong.empty();
    }
}
