package dev.loomshowcase.styles;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a style reports back: the work's result, and the thread that finished it. A virtual
 * thread's {@code toString()} names the carrier it was mounted on, so the reader sees both.
 *
 * @param result  what the work returned
 * @param thread  {@code Thread.toString()} of the thread that finished the work
 * @param virtual whether that thread was virtual
 * @param notes   facts about how it ran, added to the response
 * @param <T>     result type
 */
public record Ran<T>(T result, String thread, boolean virtual, Map<String, Object> notes) {

    public Ran {
        notes = Map.copyOf(notes);
    }

    /** Captures the current thread as the one that produced {@code result}. */
    public static <T> Ran<T> here(T result) {
        Thread current = Thread.currentThread();
        return new Ran<>(result, current.toString(), current.isVirtual(), Map.of());
    }

    /**
     * The same outcome with one more fact for the response, e.g. whether this JVM pins
     * {@code synchronized}; it appears beside {@code thread} and {@code elapsedMs}.
     */
    public Ran<T> withNote(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(notes);
        more.put(name, value);
        return new Ran<>(result, thread, virtual, more);
    }
}
