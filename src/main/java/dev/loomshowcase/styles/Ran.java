package dev.loomshowcase.styles;

/**
 * What a style reports back: the work's result, and the thread that finished it. A virtual
 * thread's {@code toString()} names the carrier it was mounted on, so the reader sees both.
 *
 * @param result  what the work returned
 * @param thread  {@code Thread.toString()} of the thread that finished the work
 * @param virtual whether that thread was virtual
 * @param <T>     result type
 */
public record Ran<T>(T result, String thread, boolean virtual) {

    /** Captures the current thread as the one that produced {@code result}. */
    public static <T> Ran<T> here(T result) {
        Thread current = Thread.currentThread();
        return new Ran<>(result, current.toString(), current.isVirtual());
    }
}
