package dev.loomshowcase.styles;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import dev.loomshowcase.concurrency.Waiting;

/**
 * Runs the scenario's non-blocking pipeline (its {@code sleepAsync}, {@code callAsync},
 * {@code queryAsync} ...): a {@code CompletionStage} whose waits are timers and socket
 * callbacks, so no thread is held while it waits. FastAPI's {@code async def} with
 * {@code await asyncio.sleep} / {@code await httpx...}: the same idea, with the colouring.
 * The thread reported is the one that completed the pipeline. Only the last step, handing the
 * result to Helidon's blocking response API, parks the request's virtual thread.
 */
public final class ReactiveStyle {

    public String description() {
        return "non-blocking CompletableFuture pipeline: no thread is held while it waits";
    }

    /**
     * Starts the pipeline, then waits for its end.
     *
     * @throws Exception what the pipeline failed with, unwrapped
     */
    public <T> Answer<T> run(Supplier<? extends CompletionStage<T>> pipeline) throws Exception {
        CompletableFuture<Answer<T>> answered = pipeline.get()
                .thenApply(Answer::onCurrentThread)
                .toCompletableFuture();
        return Waiting.forResult(answered);
    }
}
