package dev.loomshowcase.styles;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a style hands back: the work's result, and the evidence of where it ran. A virtual
 * thread's {@code toString()} names the carrier it was mounted on, so the reader sees both.
 * The route's handler adds {@code elapsedMs} and sends it all as one JSON answer.
 *
 * @param result  what the work returned
 * @param thread  {@code Thread.toString()} of the thread that finished the work
 * @param virtual whether that thread was virtual
 * @param notes   facts about how it ran (a pool's size, a permit's wait), added to the answer
 * @param <T>     result type
 */
public record Answer<T>(T result, String thread, boolean virtual, Map<String, Object> notes) {

    public Answer {
        notes = Map.copyOf(notes);
    }

    /** The result, with the current thread as the one that produced it. */
    public static <T> Answer<T> onCurrentThread(T result) {
        Thread current = Thread.currentThread();
        return new Answer<>(result, current.toString(), current.isVirtual(), Map.of());
    }

    /**
     * The same answer with one more fact, e.g. whether this JVM pins {@code synchronized}; it
     * appears beside {@code thread} and {@code elapsedMs}.
     */
    public Answer<T> withNote(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(notes);
        more.put(name, value);
        return new Answer<>(result, thread, virtual, more);
    }
}
