package dev.loomshowcase.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.config.Config;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * Watches this JVM for pinned virtual threads, live, with JFR's own detector: an in-process
 * {@link RecordingStream} of {@code jdk.VirtualThreadPinned}. On JDK 25 this is the only
 * detector ({@code -Djdk.tracePinnedThreads} is gone). Events arrive about once a second, when
 * JFR flushes; {@link #settle} waits for the flush that holds every pinning ended so far, instead
 * of a fixed second and a half. Also counts virtual thread starts and failed submits for the
 * scheduler view.
 */
public final class PinningMonitor implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(PinningMonitor.class.getName());
    private static final int TOP_FRAMES = 8;

    /** One pinning, as the user sees it. */
    public record Pinned(Instant start, double durationMs, long threadId, String carrier, String pinnedReason,
                         String blockingOperation, String route, List<String> topFrames) {
    }

    private final boolean enabled;
    private final Duration threshold;
    private final int remembered;
    private final ThreadRoutes threadRoutes;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong submitFailed = new AtomicLong();
    private final AtomicLong virtualThreadsStarted = new AtomicLong();
    private final Map<String, LongAdder> byRoute = new ConcurrentHashMap<>();
    private final ReentrantLock lastLock = new ReentrantLock();
    private final Deque<Pinned> last = new ArrayDeque<>();
    private final List<BlockingQueue<Pinned>> subscribers = new CopyOnWriteArrayList<>();
    private final RecordingStream stream;
    private final AtomicLong marks = new AtomicLong();
    private final Map<Long, CompletableFuture<Void>> awaitedMarks = new ConcurrentHashMap<>();

    /**
     * A mark this monitor commits into its own stream: when the stream hands it back, it has
     * handed back every event that ended before it too (the stream is ordered by time, and a
     * flush takes every thread's events committed up to it).
     */
    @Name("dev.loomshowcase.SettleMark")
    @Label("Pinning monitor settle mark")
    @Description("Committed by GET /observe/pinning?settle=MS: the monitor waits for it to come back through its stream.")
    static final class SettleMark extends Event {
        @Label("Mark")
        long mark;
    }

    /**
     * From the {@code app.pinning-monitor} node: {@code enabled}, {@code threshold-ms}, {@code remembered},
     * {@code count-virtual-threads}.
     */
    public static PinningMonitor create(Config config, ThreadRoutes threadRoutes) {
        return new PinningMonitor(config.get("enabled").asBoolean().get(),
                Duration.ofMillis(config.get("threshold-ms").asLong().get()), config.get("remembered").asInt().get(),
                config.get("count-virtual-threads").asBoolean().get(), threadRoutes);
    }

    /**
     * @param enabled              false = no JFR stream at all (config {@code app.pinning-monitor.enabled})
     * @param threshold            shortest pinning reported
     * @param remembered           how many recent events {@code GET /observe/pinning} can show
     * @param countVirtualThreads  also stream {@code jdk.VirtualThreadStart} to count virtual threads
     * @param threadRoutes         which route a thread served
     */
    public PinningMonitor(boolean enabled, Duration threshold, int remembered, boolean countVirtualThreads,
                          ThreadRoutes threadRoutes) {
        this.enabled = enabled;
        this.threshold = threshold;
        this.remembered = remembered;
        this.threadRoutes = threadRoutes;
        if (!enabled) {
            this.stream = null;
            return;
        }
        this.stream = new RecordingStream();
        stream.enable("jdk.VirtualThreadPinned").withThreshold(threshold).withStackTrace();
        stream.enable("jdk.VirtualThreadSubmitFailed");
        stream.onEvent("jdk.VirtualThreadPinned", this::pinned);
        stream.onEvent("jdk.VirtualThreadSubmitFailed", event -> submitFailed.incrementAndGet());
        stream.enable(SettleMark.class);
        stream.onEvent(SettleMark.class.getAnnotation(Name.class).value(), event -> {
            CompletableFuture<Void> awaited = awaitedMarks.remove(event.getLong("mark"));
            if (awaited != null) {
                awaited.complete(null);
            }
        });
        if (countVirtualThreads) {
            stream.enable("jdk.VirtualThreadStart").withoutStackTrace();
            stream.onEvent("jdk.VirtualThreadStart", event -> virtualThreadsStarted.incrementAndGet());
        }
        stream.onError(e -> LOGGER.log(Level.WARNING, "pinning monitor stream failed", e));
    }

    /** Starts streaming on a background thread of JFR's own. */
    public PinningMonitor start() {
        if (stream != null) {
            stream.startAsync();
        }
        return this;
    }

    private void pinned(RecordedEvent event) {
        RecordedThread thread = event.getThread("eventThread");
        RecordedThread carrier = event.hasField("carrierThread") ? event.getThread("carrierThread") : null;
        long threadId = thread == null ? -1 : thread.getJavaThreadId();
        String carrierName = carrier == null ? "" : carrier.getJavaName();
        String route = routeOf(threadId, carrierName, event.getStartTime());
        List<String> frames = event.getStackTrace() == null ? List.of() : event.getStackTrace().getFrames().stream()
                .limit(TOP_FRAMES)
                .map(PinningMonitor::frame)
                .toList();
        Pinned pinned = new Pinned(event.getStartTime(), event.getDuration().toNanos() / 1e6, threadId,
                carrierName,
                event.hasField("pinnedReason") ? String.valueOf(event.getString("pinnedReason")) : "",
                event.hasField("blockingOperation") ? String.valueOf(event.getString("blockingOperation")) : "",
                route, frames);
        total.incrementAndGet();
        byRoute.computeIfAbsent(route, r -> new LongAdder()).increment();
        lastLock.lock();
        try {
            last.addFirst(pinned);
            while (last.size() > remembered) {
                last.removeLast();
            }
        } finally {
            lastLock.unlock();
        }
        // A slow subscriber loses events rather than slowing the monitor down.
        subscribers.forEach(queue -> queue.offer(pinned));
    }

    /**
     * The route a pinning belongs to: the one its thread served at its start, or, when JFR gives
     * no thread (thread id -1, seen on fresh starts), the one that ran on its carrier then. Every
     * consumer of this monitor (the counts, the stream, the race) sees this one attribution.
     */
    String routeOf(long threadId, String carrier, Instant start) {
        return threadId < 0 ? threadRoutes.routeOnCarrier(carrier, start) : threadRoutes.routeOf(threadId, start);
    }

    private static String frame(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName()
                + (frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "");
    }

    /**
     * Waits until the stream has delivered every pinning that ended before this call, at most
     * {@code max}: about half a second on average (the next flush), where a fixed wait must
     * cover a whole flush interval and then some.
     *
     * @return whether it settled within {@code max} (true at once when the monitor is off)
     */
    public boolean settle(Duration max) throws InterruptedException {
        if (stream == null) {
            return true;
        }
        long mark = marks.incrementAndGet();
        CompletableFuture<Void> back = new CompletableFuture<>();
        awaitedMarks.put(mark, back);
        SettleMark event = new SettleMark();
        event.mark = mark;
        event.commit();
        try {
            back.get(max.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        } finally {
            awaitedMarks.remove(mark);
        }
    }

    /** A queue that receives every event from now on; give it back with {@link #unsubscribe}. */
    public BlockingQueue<Pinned> subscribe() {
        BlockingQueue<Pinned> queue = new ArrayBlockingQueue<>(1_000);
        subscribers.add(queue);
        return queue;
    }

    public void unsubscribe(BlockingQueue<Pinned> queue) {
        subscribers.remove(queue);
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    public boolean enabled() {
        return enabled;
    }

    public Duration threshold() {
        return threshold;
    }

    public long total() {
        return total.get();
    }

    public long submitFailed() {
        return submitFailed.get();
    }

    public long virtualThreadsStarted() {
        return virtualThreadsStarted.get();
    }

    /** Counts per route, e.g. {@code /sleep/pinned-native → 8}. */
    public Map<String, Long> byRoute() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        byRoute.forEach((route, count) -> counts.put(route, count.sum()));
        return counts;
    }

    /** The newest events first, at most {@code limit}. */
    public List<Pinned> last(int limit) {
        lastLock.lock();
        try {
            return last.stream().limit(limit).toList();
        } finally {
            lastLock.unlock();
        }
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
    }
}
