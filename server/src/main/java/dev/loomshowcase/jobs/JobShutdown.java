package dev.loomshowcase.jobs;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The jobs' side of a start and a stop: no job may stay "queued" or "running" with nothing
 * running it. A stop interrupts the running jobs, waits a bounded time for them to record their
 * own end, and marks what is still unfinished as {@code interrupted}; a start marks what a
 * previous run left (it crashed, or was killed before it could). FastAPI's background tasks
 * simply vanish with the process.
 */
final class JobShutdown {

    private static final Logger LOGGER = Logger.getLogger(JobShutdown.class.getName());

    private final JobStore store;
    private final Duration stopWait;

    /** @param stopWait how long a stop waits for running work to end */
    JobShutdown(JobStore store, Duration stopWait) {
        this.store = store;
        this.stopWait = stopWait;
    }

    /** The start-up step: what a previous run left queued or running is now interrupted. */
    void markLeftByPreviousRun() {
        long interrupted = store.interruptUnfinished(Job.now());
        if (interrupted > 0) {
            LOGGER.info(interrupted + " job(s) left queued or running by the previous run are now marked interrupted.");
        }
    }

    /** Stops these jobs (they end {@code interrupted}), then the pool, then marks whatever is left. */
    void stop(Collection<RunningJob> running, JobDispatch dispatch) {
        List<RunningJob> stopping = running.stream().filter(job -> job.stop(true)).toList();
        long deadline = System.nanoTime() + stopWait.toNanos();
        try {
            for (RunningJob job : stopping) {
                job.awaitFinished(Duration.ofNanos(deadline - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dispatch.close();
        try {
            store.interruptUnfinished(Job.now());
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not mark unfinished jobs as interrupted; the next start will.", e);
        }
    }
}
