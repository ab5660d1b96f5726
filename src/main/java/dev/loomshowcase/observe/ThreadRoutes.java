package dev.loomshowcase.observe;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which route a request thread was serving at a given moment, so a JFR pinning event (which
 * names only its thread and start time) is counted against {@code /sleep/pinned-native} and not
 * just "some virtual thread". JFR delivers events about a second late, and Helidon serves the
 * next request of a keep-alive connection on the same virtual thread, so each thread keeps its
 * last few (route, from, to) intervals and an event is matched by its start time.
 */
public final class ThreadRoutes {

    private static final int THREADS_REMEMBERED = 10_000;
    private static final int INTERVALS_PER_THREAD = 16;

    private record Interval(String route, Instant from, Instant to) {

        boolean contains(Instant moment) {
            return !moment.isBefore(from) && (to == null || !moment.isAfter(to));
        }
    }

    // A ReentrantLock, not synchronized: this runs on every request, and must never pin.
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, Deque<Interval>> byThread = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Deque<Interval>> eldest) {
            return size() > THREADS_REMEMBERED;
        }
    };

    /** Runs {@code work} with the current thread recorded as serving {@code route} meanwhile. */
    public <T> T whileServing(String route, Callable<T> work) throws Exception {
        long id = Thread.currentThread().threadId();
        Instant from = Instant.now();
        record(id, new Interval(route, from, null));
        try {
            return work.call();
        } finally {
            record(id, new Interval(route, from, Instant.now()));
        }
    }

    private void record(long threadId, Interval interval) {
        lock.lock();
        try {
            Deque<Interval> intervals = byThread.computeIfAbsent(threadId, id -> new ArrayDeque<>());
            // The closing record replaces the open one it closes.
            if (interval.to() != null && !intervals.isEmpty() && intervals.peekFirst().to() == null
                    && intervals.peekFirst().from().equals(interval.from())) {
                intervals.removeFirst();
            }
            intervals.addFirst(interval);
            while (intervals.size() > INTERVALS_PER_THREAD) {
                intervals.removeLast();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The route the thread was serving at {@code moment}, or {@code "other"}. */
    public String routeOf(long threadId, Instant moment) {
        lock.lock();
        try {
            Deque<Interval> intervals = byThread.get(threadId);
            if (intervals == null) {
                return "other";
            }
            return intervals.stream()
                    .filter(interval -> interval.contains(moment))
                    .map(Interval::route)
                    .findFirst()
                    .orElse("other");
        } finally {
            lock.unlock();
        }
    }
}
