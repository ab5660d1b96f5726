package dev.loomshowcase.styles;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.loomshowcase.concurrency.BoundedPool;
import dev.loomshowcase.concurrency.Waiting;

/**
 * The anti-pattern: a reactive pipeline whose stages run on one "event loop" thread, with the
 * blocking call made inline on it. FastAPI's {@code time.sleep()} inside an {@code async def}:
 * every request queues behind the one being served. Shown so the reader can see why
 * "reactive" only helps when nothing in the pipeline blocks.
 */
public final class EventLoopBlockedStyle implements Style {

    private final BoundedPool eventLoop;

    /** @param eventLoop a pool of exactly one thread, playing the event loop */
    public EventLoopBlockedStyle(BoundedPool eventLoop) {
        if (eventLoop.size() != 1) {
            throw new IllegalArgumentException("an event loop has one thread");
        }
        this.eventLoop = eventLoop;
    }

    @Override
    public String description() {
        return "anti-pattern: blocking call inline on a single event-loop thread; requests queue";
    }

    @Override
    public <T> Answer<T> run(Callable<T> work) throws Exception {
        CompletableFuture<Answer<T>> pipeline = CompletableFuture.supplyAsync(() -> {
            try {
                // Blocks the event loop: nothing else scheduled on it can run until this returns.
                return Answer.onCurrentThread(work.call());
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, eventLoop);
        return Waiting.forResult(pipeline);
    }
}
