package dev.loomshowcase.jobs;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One job accepted by this process and not finished: what a cancel ({@code DELETE /jobs/{id}}) or
 * the shutdown reaches. The lock makes "is it running, and on which thread" one question, so an
 * interrupt is only ever sent to the thread running this job, never to a pool thread that has
 * moved on to another. FastAPI's {@code BackgroundTasks} cannot be cancelled at all.
 */
final class RunningJob {

    private final String id;
    private final CountDownLatch done = new CountDownLatch(1);
    private final ReentrantLock lock = new ReentrantLock();
    private Thread runner;
    private volatile boolean cancelled;
    private volatile boolean stopping;
    /** Its task in the CPU pool, while it may still wait there. */
    private volatile Future<?> queued;

    RunningJob(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    /** A cancel asked it to stop. */
    boolean cancelled() {
        return cancelled;
    }

    /** The server stopping asked it to stop. */
    boolean stopping() {
        return stopping;
    }

    /** Its task in the CPU pool's queue, which a cancel can take out before it starts. */
    void queuedAs(Future<?> task) {
        this.queued = task;
    }

    Future<?> queued() {
        return queued;
    }

    /** The calling thread takes the job; false when it was cancelled or stopped first. */
    boolean attach() {
        lock.lock();
        try {
            if (cancelled || stopping) {
                return false;
            }
            runner = Thread.currentThread();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The calling thread lets go of the job, and forgets an interrupt meant for it. */
    void detach() {
        lock.lock();
        try {
            runner = null;
        } finally {
            lock.unlock();
        }
        Thread.interrupted();
    }

    /**
     * Runs a database call of the job's own thread with no interrupt arriving meanwhile (a stop
     * waits for the lock), or skips it when the job has already been told to stop. An interrupt
     * in the middle of JDBC work can fail the pool's borrow or close the database's file.
     */
    <T> T uninterrupted(Supplier<T> call, T whenStopping) {
        lock.lock();
        try {
            if (cancelled || stopping || Thread.currentThread().isInterrupted()) {
                return whenStopping;
            }
            return call.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks the job to stop: a cancel, or the server stopping.
     *
     * @return whether a thread was running it (and has been interrupted)
     */
    boolean stop(boolean shutdown) {
        lock.lock();
        try {
            if (shutdown) {
                stopping = true;
            } else {
                cancelled = true;
            }
            if (runner != null) {
                runner.interrupt();
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Its work is over (and its outcome recorded), or it was taken out of the queue before it started. */
    void finished() {
        done.countDown();
    }

    /** Waits at most this long for {@link #finished}; whether it came. */
    boolean awaitFinished(Duration atMost) throws InterruptedException {
        return done.await(Math.max(0, atMost.toNanos()), TimeUnit.NANOSECONDS);
    }
}
