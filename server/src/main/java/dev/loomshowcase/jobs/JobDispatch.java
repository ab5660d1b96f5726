package dev.loomshowcase.jobs;

import java.util.concurrent.Semaphore;

import dev.loomshowcase.concurrency.BoundedPool;
import dev.loomshowcase.web.Problem;

/**
 * Where a job's work runs. Computing kinds go to a pool of platform threads sized to the cores:
 * on virtual threads they would hold the carriers, and every request would wait for them.
 * Waiting kinds run each on a virtual thread of its own; a fair semaphore caps how many run at
 * once (what the upstreams can take, not what threads cost). FastAPI runs its background tasks
 * on the event loop, or on its thread pool for a {@code def} task.
 */
final class JobDispatch implements AutoCloseable {

    private final BoundedPool cpuPool;
    private final Semaphore ioSlots;
    private final int ioConcurrency;

    /**
     * @param cpuPool       where computing kinds run; its queue bounds how many may wait
     * @param ioConcurrency how many waiting-kind jobs run at once
     */
    JobDispatch(BoundedPool cpuPool, int ioConcurrency) {
        this.cpuPool = cpuPool;
        this.ioSlots = new Semaphore(ioConcurrency, true);
        this.ioConcurrency = ioConcurrency;
    }

    /**
     * Starts a job's work: on a virtual thread of its own, or queued in the CPU pool.
     *
     * @throws Problem 503 + Retry-After when the CPU pool's queue is full
     */
    void start(RunningJob job, boolean io, String kind, Runnable work) {
        if (io) {
            Thread.ofVirtual().name("job-" + kind).start(work);
        } else {
            job.queuedAs(cpuPool.submit(() -> {
                work.run();
                return null;
            }));
        }
    }

    /** On the job's own thread, before it starts: an I/O job waits for one of the running places. */
    boolean takeSlot(boolean io) throws InterruptedException {
        if (io) {
            ioSlots.acquire();
        }
        return io;
    }

    /** Gives back the place {@link #takeSlot} took. */
    void releaseSlot() {
        ioSlots.release();
    }

    /** Takes a job that never started out of the CPU pool's queue, so its place is free now. */
    boolean withdraw(RunningJob job) {
        if (job.queued() != null && job.queued().cancel(false)) {
            cpuPool.purge();
            return true;
        }
        return false;
    }

    /** I/O jobs running right now. */
    int ioRunning() {
        return ioConcurrency - ioSlots.availablePermits();
    }

    BoundedPool cpuPool() {
        return cpuPool;
    }

    @Override
    public void close() {
        cpuPool.close();
    }
}
