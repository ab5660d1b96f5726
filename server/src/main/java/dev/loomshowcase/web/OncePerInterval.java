package dev.loomshowcase.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * A JUL filter on the console handler (logging.properties) that lets one warning of each kind
 * through per interval and counts the rest: a burst of identical failures (thousands of 502s
 * from an upstream that is down, each with its cause or stack trace) becomes one line per
 * interval, and the next line of that kind says how many were held back. Records below
 * {@code WARNING} always pass. A kind is the logger, the level, the exception's class and the
 * message with its numbers left out.
 */
public final class OncePerInterval implements Filter {

    /** Kinds remembered at most; past it, expired kinds are forgotten, and a new kind passes untracked. */
    static final int MAX_KINDS = 1_000;

    private final long intervalNanos;
    private final Duration interval;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong held = new AtomicLong();

    /** One kind of record: when its interval started, and how many were held back since. */
    private static final class Kind {
        long startedNanos;
        long held;

        Kind(long startedNanos) {
            this.startedNanos = startedNanos;
        }
    }

    /** For logging.properties: the interval is {@code dev.loomshowcase.web.OncePerInterval.interval} (default PT10S). */
    public OncePerInterval() {
        this(configuredInterval());
    }

    public OncePerInterval(Duration interval) {
        this.interval = interval;
        this.intervalNanos = interval.toNanos();
    }

    private static Duration configuredInterval() {
        String value = LogManager.getLogManager().getProperty(OncePerInterval.class.getName() + ".interval");
        return value == null || value.isBlank() ? Duration.ofSeconds(10) : Duration.parse(value.strip());
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getLevel().intValue() < Level.WARNING.intValue()) {
            return true;
        }
        String key = kindOf(record);
        long now = System.nanoTime();
        Kind kind = kinds.get(key);
        if (kind == null) {
            if (kinds.size() >= MAX_KINDS) {
                kinds.values().removeIf(k -> now - k.startedNanos >= intervalNanos);
            }
            if (kinds.size() >= MAX_KINDS || kinds.putIfAbsent(key, new Kind(now)) == null) {
                passed.incrementAndGet();
                return true;
            }
            kind = kinds.get(key);
        }
        long heldBack;
        synchronized (kind) {
            if (now - kind.startedNanos < intervalNanos) {
                kind.held++;
                held.incrementAndGet();
                return false;
            }
            heldBack = kind.held;
            kind.held = 0;
            kind.startedNanos = now;
        }
        if (heldBack > 0) {
            record.setMessage(record.getMessage() + " [and " + heldBack + " more like it in the " + interval.toSeconds()
                    + " s before, not logged]");
        }
        passed.incrementAndGet();
        return true;
    }

    private static String kindOf(LogRecord record) {
        String message = record.getMessage() == null ? "" : record.getMessage();
        return record.getLoggerName() + '|' + record.getLevel() + '|'
                + (record.getThrown() == null ? "" : record.getThrown().getClass().getName()) + '|'
                + message.replaceAll("\\d+", "#");
    }

    /** Warnings let through so far. */
    public long passed() {
        return passed.get();
    }

    /** Warnings held back so far. */
    public long held() {
        return held.get();
    }
}
