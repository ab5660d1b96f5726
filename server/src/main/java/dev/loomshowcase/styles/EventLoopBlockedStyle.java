package dev.loomshowcase.styles;

import java.util.concurrent.CompletableFuture;

/**
 * The anti-pattern: a reactive pipeline whose stages run on one "event loop" thread, with the
 * blocking call made inline on it. Every request queues behind the one being served, exactly
 * like {@code time.sleep()} inside a FastAPI {@code async def}. Shown so the reader can see
 * why "reactive" only helps when nothing in the pipeline blocks.
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
    public String name() {
        return "eventloop-blocked";
    }

    @Override
    public String description() {
        return "anti-pattern: blocking call inline on a single event-loop thread; requests queue";
    }

    @Override
    public <T> Ran<T> run(Work<T> work) throws Exception {
        CompletableFuture<Ran<T>> pipeline = CompletableFuture.supplyAsync(() -> {
            try {
                // Blocks the event loop: nothing else scheduled on it can run until this returns.
                return Ran.here(work.blocking().call());
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, eventLoop);
        return Await.result(pipeline);
    }
}
