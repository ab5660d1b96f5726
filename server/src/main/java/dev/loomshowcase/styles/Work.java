package dev.loomshowcase.styles;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One piece of work, written once as plain blocking Java and, where the scenario has one, once
 * more as a non-blocking pipeline for the {@code reactive} style. A {@link Style} decides which
 * form runs and on which thread.
 *
 * @param blocking    the work as ordinary code: it may sleep, wait on a socket or loop
 * @param nonBlocking the same work composed from callbacks, holding no thread while it waits;
 *                    {@code null} when the scenario has no such form
 * @param <T>         what the work returns
 */
public record Work<T>(Callable<T> blocking, Supplier<? extends CompletionStage<T>> nonBlocking) {

    /** Work that only exists in blocking form. */
    public static <T> Work<T> blocking(Callable<T> blocking) {
        return new Work<>(blocking, null);
    }
}
