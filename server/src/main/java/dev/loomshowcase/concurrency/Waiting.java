package dev.loomshowcase.concurrency;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting for a future the way every style does it: the caller parks (cheap on a virtual
 * thread) and then sees the work's own exception, not an Execution/CompletionException wrapper.
 * Python's {@code await} needs no such thing, since its exceptions are never wrapped.
 */
public final class Waiting {

    private Waiting() {
    }

    /**
     * Parks the calling thread until the future is done and returns its result. If the wait is
     * interrupted (the client went away, the server is stopping), the future is cancelled. For a
     * pool task that interrupts the task's thread; a {@code CompletableFuture}'s cancel only
     * completes the future, and the work behind it (a timer, a socket read) goes on, except for
     * the JDK {@code HttpClient}'s futures, whose cancel aborts the exchange (closes its connection).
     */
    public static <T> T forResult(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw causeOf(e);
        } catch (InterruptedException e) {
            future.cancel(true);
            // Keep the interrupt for whoever called us.
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** The exception the work itself threw, under any Execution/CompletionException wrappers. */
    public static Exception causeOf(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof Exception exception) {
            return exception;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new CancellationException(String.valueOf(cause));
    }
}
