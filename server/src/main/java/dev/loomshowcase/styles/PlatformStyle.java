package dev.loomshowcase.styles;

/**
 * Hands the work to a bounded pool of platform threads and waits for it: the classic
 * thread-per-request server (and FastAPI's {@code def} handlers on Starlette's 40-token pool).
 * At most {@code size} pieces of work run at once, however cheap their waiting is; the rest
 * queue, and a full queue answers 503.
 */
public final class PlatformStyle implements Style {

    private final BoundedPool pool;

    public PlatformStyle(BoundedPool pool) {
        this.pool = pool;
    }

    @Override
    public String name() {
        return "platform";
    }

    @Override
    public String description() {
        return "hands the work to a bounded pool of " + pool.size() + " platform threads and waits";
    }

    @Override
    public <T> Ran<T> run(Work<T> work) throws Exception {
        // The pool size in force is part of the answer: it is what bounds this style.
        return pool.runAndWait(() -> Ran.here(work.blocking().call())).withNote("poolSize", pool.size());
    }

    public BoundedPool pool() {
        return pool;
    }
}
