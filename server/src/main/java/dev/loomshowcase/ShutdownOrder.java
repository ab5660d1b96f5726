package dev.loomshowcase;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a showcase has built and must stop (pools, the pinning monitor, the database, the jobs),
 * stopped newest first, as try-with-resources would: what was built on top of something stops
 * before it, so the jobs still reach the database while they mark what they leave unfinished.
 * One that fails to close is logged, and the others still close.
 */
final class ShutdownOrder {

    private static final Logger LOGGER = Logger.getLogger(ShutdownOrder.class.getName());

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** Remembers a resource to close, after every one added later. */
    <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Closes them all, newest first; each only once. */
    void closeAll() {
        for (AutoCloseable resource = resources.poll(); resource != null; resource = resources.poll()) {
            try {
                resource.close();
            } catch (Exception e) {
                LOGGER.log(Level.WARNING, "Could not close " + resource, e);
            }
        }
    }
}
