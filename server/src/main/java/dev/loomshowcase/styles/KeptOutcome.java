package dev.loomshowcase.styles;

import java.util.concurrent.Callable;

/**
 * The outcome of work run from a place that must not throw: a native upcall (an exception
 * escaping it ends the JVM) or a static initialiser (it would poison the class). The work runs
 * once there; its result or exception is kept and handed to the caller afterwards.
 */
final class KeptOutcome<T> {

    private final Callable<T> work;
    private boolean ran;
    private T result;
    private Exception failure;

    KeptOutcome(Callable<T> work) {
        this.work = work;
    }

    /** Runs the work the first time it is called and keeps what came of it; never throws. */
    void runOnce() {
        if (ran) {
            return;
        }
        ran = true;
        try {
            result = work.call();
        } catch (Exception e) {
            failure = e;
        } catch (Throwable e) {
            failure = new IllegalStateException(e);
        }
    }

    /** The work's result, or its exception rethrown. */
    T get() throws Exception {
        if (!ran) {
            throw new IllegalStateException("the work never ran");
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }
}
