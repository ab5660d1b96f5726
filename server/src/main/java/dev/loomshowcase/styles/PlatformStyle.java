package dev.loomshowcase.styles;

import java.util.concurrent.Callable;

import dev.loomshowcase.concurrency.BoundedPool;

/**
 * Hands the work to a bounded pool of platform threads and waits for it: the classic
 * thread-per-request server, and FastAPI's plain {@code def} handler, which Starlette runs on
 * its thread pool of 40. At most {@code size} pieces of work run at once, however cheap their
 * waiting is; the rest queue, and a full queue answers 503.
 */
public final class PlatformStyle implements Style {

    private final BoundedPool pool;

    public PlatformStyle(BoundedPool pool) {
        this.pool = pool;
    }

    @Override
    public String description() {
        return "hands the work to a bounded pool of " + pool.size() + " platform threads and waits";
    }

    @Override
    public <T> Answer<T> run(Callable<T> work) throws Exception {
        // The pool size in force is part of the answer: it is what bounds this style.
        return pool.runAndWait(() -> Answer.onCurrentThread(work.call())).withNote("poolSize", pool.size());
    }

    public BoundedPool pool() {
        return pool;
    }
}
