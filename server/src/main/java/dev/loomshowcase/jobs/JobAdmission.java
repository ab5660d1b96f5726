package dev.loomshowcase.jobs;

import java.util.concurrent.atomic.AtomicInteger;

import dev.loomshowcase.web.Problem;

/**
 * Whether a job may come in, decided before anything is stored: none while the server stops,
 * and no waiting job past its queue's bound, so a flood of submissions is refused with 503 +
 * Retry-After instead of growing memory until the server dies (FastAPI's {@code BackgroundTasks}
 * queue has no bound). Computing jobs wait in the CPU pool's own bounded queue ({@link JobDispatch});
 * waiting kinds each get a virtual thread, so this counts them instead.
 */
final class JobAdmission {

    private final int ioConcurrency;
    private final int ioQueue;
    private final int retryAfterSeconds;
    /** I/O jobs accepted and not yet finished: running, plus waiting for a slot. */
    private final AtomicInteger ioAdmitted = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param ioConcurrency     how many waiting-kind jobs run at once
     * @param ioQueue           how many more may wait for one of those places
     * @param retryAfterSeconds what a refused client is told
     */
    JobAdmission(int ioConcurrency, int ioQueue, int retryAfterSeconds) {
        if (ioConcurrency < 1 || ioQueue < 0) {
            throw new IllegalArgumentException("jobs: io-concurrency must be >= 1 and io-queue >= 0");
        }
        this.ioConcurrency = ioConcurrency;
        this.ioQueue = ioQueue;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * Lets a job in; an I/O job takes one of the places (running or waiting) until {@link #leave}.
     *
     * @throws Problem 503 + Retry-After while the server stops, or when the I/O places are all taken
     */
    void admit(boolean io) {
        if (closed) {
            throw Problem.busy("The server is stopping and accepts no new jobs.", retryAfterSeconds);
        }
        if (io && ioAdmitted.incrementAndGet() > ioConcurrency + ioQueue) {
            ioAdmitted.decrementAndGet();
            throw Problem.busy("The I/O jobs are at their limit: " + ioConcurrency + " running and " + ioQueue
                            + " waiting. Try again shortly.", retryAfterSeconds)
                    .with("pool", "jobs-io")
                    .with("concurrency", ioConcurrency)
                    .with("queueCapacity", ioQueue);
        }
    }

    /** A job admitted by {@link #admit} has ended (or was never stored): an I/O job frees its place. */
    void leave(boolean io) {
        if (io) {
            ioAdmitted.decrementAndGet();
        }
    }

    /** I/O jobs admitted and not finished. */
    int ioAdmitted() {
        return ioAdmitted.get();
    }

    /** From now on every job is refused: the server is stopping. */
    void close() {
        closed = true;
    }
}
