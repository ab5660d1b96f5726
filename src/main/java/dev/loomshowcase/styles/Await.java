package dev.loomshowcase.styles;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting for a future the way every style does it: the caller sees the work's own exception,
 * not a wrapper, and an interrupted wait cancels the future. What that stops depends on the
 * future: a pool's {@code FutureTask} interrupts the thread running the work, and the JDK
 * {@code HttpClient}'s futures abort their exchange; a plain {@code CompletableFuture} only
 * completes with a {@code CancellationException} (it never interrupts anything), so the work
 * behind it keeps running and its result is dropped.
 */
public final class Await {

    private Await() {
    }

    /** Parks the calling thread until the future is done and returns its result. */
    public static <T> T result(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw cause(e);
        } catch (InterruptedException e) {
            // The client went away or the server is stopping: cancel the future (which stops the
            // work only if the future can, see above), and keep the interrupt for whoever called us.
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    /** The exception the work itself threw, under any Execution/CompletionException wrappers. */
    public static Exception cause(Throwable e) {
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
