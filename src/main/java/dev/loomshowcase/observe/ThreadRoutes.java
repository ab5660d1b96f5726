package dev.loomshowcase.observe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which route each request thread served, so a JFR pinning event (which names only its thread)
 * can be counted against {@code /sleep/pinned-native} and not just "some virtual thread". JFR
 * delivers events about a second late, after the request may have finished, so entries are
 * kept for the last few thousand threads instead of being removed when the request ends.
 * Virtual thread ids are never reused within a JVM run.
 */
public final class ThreadRoutes {

    private static final int REMEMBERED = 10_000;

    // A ReentrantLock, not synchronized: this runs on every request, and must not pin.
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, String> routeByThread = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** Runs {@code work} with the current thread recorded as serving {@code route}. */
    public <T> T whileServing(String route, Callable<T> work) throws Exception {
        long id = Thread.currentThread().threadId();
        lock.lock();
        try {
            routeByThread.put(id, route);
        } finally {
            lock.unlock();
        }
        return work.call();
    }

    /** The route the thread last served, or {@code "other"}. */
    public String routeOf(long threadId) {
        lock.lock();
        try {
            return routeByThread.getOrDefault(threadId, "other");
        } finally {
            lock.unlock();
        }
    }
}
