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
 * last few (route, carrier, from, to) intervals and an event is matched by its start time.
 *
 * <p>JFR sometimes reports a pinning with no thread at all, only its carrier: a pinned virtual
 * thread stays on its carrier, so such an event goes to the route that was running on that
 * carrier when it started ({@link #routeOnCarrier}).
 */
public final class ThreadRoutes {

    private static final int THREADS_REMEMBERED = 10_000;
    private static final int INTERVALS_PER_THREAD = 16;

    private record Interval(String route, String carrier, Instant from, Instant to) {

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
        record(id, route, from, null);
        try {
            return work.call();
        } finally {
            record(id, route, from, Instant.now());
        }
    }

    /**
     * The name of the carrier a virtual thread is mounted on, or "" for a platform thread. The JDK
     * has no public API for it (Thread.currentCarrierThread is internal); a mounted virtual
     * thread's toString ends with "@" and its carrier's name, the name JFR reports.
     */
    static String carrierOf(Thread thread) {
        if (!thread.isVirtual()) {
            return "";
        }
        String text = thread.toString();
        int at = text.lastIndexOf('@');
        return at < 0 ? "" : text.substring(at + 1);
    }

    /**
     * Opens ({@code to} null) or closes the current thread's interval. The carrier is read once the
     * lock is held: waiting for the lock may unmount the thread, and the carrier that counts is the
     * one it runs the request's work on; the closing record keeps the open one's carrier.
     */
    private void record(long threadId, String route, Instant from, Instant to) {
        lock.lock();
        try {
            Deque<Interval> intervals = byThread.computeIfAbsent(threadId, id -> new ArrayDeque<>());
            String carrier = carrierOf(Thread.currentThread());
            // The closing record replaces the open one it closes.
            if (to != null && !intervals.isEmpty() && intervals.peekFirst().to() == null
                    && intervals.peekFirst().from().equals(from)) {
                carrier = intervals.removeFirst().carrier();
            }
            intervals.addFirst(new Interval(route, carrier, from, to));
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

    /**
     * The route whose request ran on {@code carrier} at {@code moment}, or {@code "other"}: for a
     * pinning JFR reports without its thread. If several intervals on that carrier contain the
     * moment (a thread that parked earlier in its request may have moved to another carrier
     * since), the one that started last is taken, since it is the one mounted most recently.
     */
    public String routeOnCarrier(String carrier, Instant moment) {
        if (carrier == null || carrier.isEmpty()) {
            return "other";
        }
        lock.lock();
        try {
            return byThread.values().stream()
                    .flatMap(Deque::stream)
                    .filter(interval -> carrier.equals(interval.carrier()) && interval.contains(moment))
                    .max(java.util.Comparator.comparing(Interval::from))
                    .map(Interval::route)
                    .orElse("other");
        } finally {
            lock.unlock();
        }
    }
}
