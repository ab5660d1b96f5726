package dev.loomshowcase.jobs;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A job's progress as its work sees it: written to the job's row only when it rises, and never a
 * reason for the work to fail. {@link #check} is where the work learns it was cancelled or the
 * server is stopping.
 */
final class StoredProgress implements Progress {

    private static final Logger LOGGER = Logger.getLogger(StoredProgress.class.getName());

    private final RunningJob job;
    private final JobStore store;
    private volatile int last;

    StoredProgress(RunningJob job, JobStore store) {
        this.job = job;
        this.store = store;
    }

    /** The highest percentage reported so far. */
    int last() {
        return last;
    }

    @Override
    public void report(int percent) {
        int clamped = Math.clamp(percent, 0, 100);
        if (clamped <= last) {
            return;
        }
        last = clamped;
        try {
            job.uninterrupted(() -> {
                store.progress(job.id(), clamped);
                return true;
            }, false);
        } catch (RuntimeException e) {
            // Progress is for people watching; a busy database must not fail the work.
            LOGGER.log(Level.FINE, "Could not record progress of job " + job.id(), e);
        }
    }

    @Override
    public void check() throws InterruptedException {
        if (job.cancelled() || job.stopping() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException(job.cancelled() ? "cancelled" : "stopping");
        }
    }
}
