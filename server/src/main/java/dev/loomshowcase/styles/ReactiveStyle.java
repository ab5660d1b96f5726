package dev.loomshowcase.styles;

import java.util.concurrent.CompletableFuture;

/**
 * Runs the non-blocking form of the work: a {@code CompletableFuture} pipeline whose waits are
 * timers and socket callbacks, so no thread is held while it waits (FastAPI's {@code async def}
 * with {@code await}). The thread reported is the one that completed the pipeline. Only the
 * last step, handing the result to Helidon's blocking response API, parks the request's
 * virtual thread.
 */
public final class ReactiveStyle implements Style {

    @Override
    public String name() {
        return "reactive";
    }

    @Override
    public String description() {
        return "non-blocking CompletableFuture pipeline: no thread is held while it waits";
    }

    @Override
    public <T> Ran<T> run(Work<T> work) throws Exception {
        if (work.nonBlocking() == null) {
            throw new IllegalStateException("this work has no non-blocking form");
        }
        CompletableFuture<Ran<T>> pipeline = work.nonBlocking().get()
                .thenApply(Ran::here)
                .toCompletableFuture();
        return Await.result(pipeline);
    }
}
