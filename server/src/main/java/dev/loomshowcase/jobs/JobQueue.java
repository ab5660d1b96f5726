package dev.loomshowcase.jobs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.loomshowcase.concurrency.BoundedPool;
import dev.loomshowcase.db.Database;
import dev.loomshowcase.web.Problem;

import io.helidon.http.Status;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Background jobs, the tutorials' {@code BackgroundTasks} done properly: every job is a row in
 * the database before its work starts, so a client can ask about it, cancel it, and find it
 * again after a restart; and every queue is bounded, so a flood of submissions is refused with
 * 503 + Retry-After instead of growing memory until the server dies.
 *
 * <p>Computing kinds run on a pool of platform threads sized to the cores (on virtual threads
 * they would hold the carriers). Waiting kinds run each on a virtual thread of its own; a
 * semaphore caps how many run at once (what the upstreams can take, not what threads cost),
 * and a counter caps how many may wait for a slot.
 *
 * <p>Other code submits jobs with {@link #submit}, exactly as {@code POST /jobs} does.
 */
public final class JobQueue implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(JobQueue.class.getName());

    private final JobStore store;
    private final Map<String, JobKind> kinds = new LinkedHashMap<>();
    private final BoundedPool cpuPool;
    private final Semaphore ioSlots;
    private final int ioConcurrency;
    private final int ioQueue;
    /** I/O jobs accepted and not yet finished: running, plus waiting for a slot. */
    private final AtomicInteger ioAdmitted = new AtomicInteger();
    private final int retryAfterSeconds;
    private final Duration stopWait;
    /** Jobs accepted by this process and not yet finished, by id: what a cancel reaches. */
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param kinds             the kinds of job it runs
     * @param cpuPool           where computing kinds run; its queue bounds how many may wait
     * @param ioConcurrency     how many waiting-kind jobs run at once
     * @param ioQueue           how many waiting-kind jobs may wait for one of those slots
     * @param retryAfterSeconds what a refused client is told
     * @param stopWait          how long a cancel (and the shutdown) waits for running work to stop
     */
    public JobQueue(Database database, List<JobKind> kinds, BoundedPool cpuPool, int ioConcurrency, int ioQueue,
                    int retryAfterSeconds, Duration stopWait) {
        if (ioConcurrency < 1 || ioQueue < 0) {
            throw new IllegalArgumentException("jobs: io-concurrency must be >= 1 and io-queue >= 0");
        }
        this.store = new JobStore(database);
        kinds.forEach(kind -> this.kinds.put(kind.name(), kind));
        this.cpuPool = cpuPool;
        this.ioSlots = new Semaphore(ioConcurrency, true);
        this.ioConcurrency = ioConcurrency;
        this.ioQueue = ioQueue;
        this.retryAfterSeconds = retryAfterSeconds;
        this.stopWait = stopWait;
    }

    /**
     * The start-up step: jobs a previous run left queued or running (it crashed, or was killed
     * before it could record them) are marked {@code interrupted}, so no job stays "running"
     * forever with nothing running it.
     */
    public void start() {
        long interrupted = store.interruptUnfinished(Job.now());
        if (interrupted > 0) {
            LOGGER.info(interrupted + " job(s) left queued or running by the previous run are now marked interrupted.");
        }
    }

    /** The kinds of job it runs, in the order given. */
    public List<JobKind> kinds() {
        return List.copyOf(kinds.values());
    }

    /**
     * Accepts a job: checks its parameters, stores it as queued, and queues its work.
     *
     * @param kind   one of {@link #kinds()}' names
     * @param params the kind's parameters ({@code {"n": 1000}} for cpu)
     * @return the job as stored, still queued
     * @throws Problem 400 for an unknown kind or a bad parameter; 503 + Retry-After when its queue
     *                 is full (nothing is stored then)
     */
    public Job submit(String kind, JsonObject params) {
        JobKind jobKind = kinds.get(kind);
        if (jobKind == null) {
            throw Problem.badRequest("Unknown job kind '" + Params.shorten(kind, 40) + "'; the kinds are "
                            + String.join(", ", kinds.keySet()) + ".")
                    .with("field", "kind")
                    .with("kinds", List.copyOf(kinds.keySet()));
        }
        JsonObject checked = jobKind.params(params);
        if (closed) {
            throw Problem.busy("The server is stopping and accepts no new jobs.", retryAfterSeconds);
        }
        Job job = new Job(UUID.randomUUID().toString(), jobKind.name(), JobStatus.QUEUED, 0, checked, null, null,
                Job.now(), null, null);
        boolean io = !jobKind.cpuBound();
        if (io) {
            admitIo();
        }
        Running handle = new Running(job.id());
        // In the map before the row exists: whoever can read the job can cancel it.
        running.put(job.id(), handle);
        try {
            store.insert(job);
        } catch (RuntimeException e) {
            running.remove(job.id());
            if (io) {
                ioAdmitted.decrementAndGet();
            }
            throw e;
        }
        if (io) {
            Thread.ofVirtual().name("job-" + jobKind.name()).start(() -> work(handle, jobKind, checked, true));
        } else {
            try {
                handle.future = cpuPool.submit(() -> {
                    work(handle, jobKind, checked, false);
                    return null;
                });
            } catch (Problem refused) {
                // The client hears 503 and gets no id: the row must not stay behind as queued.
                running.remove(job.id());
                try {
                    store.delete(job.id());
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "Could not remove refused job " + job.id()
                            + "; the next start will mark it interrupted.", e);
                }
                throw refused;
            }
        }
        return job;
    }

    /** Takes one of the I/O places (running or waiting), or refuses with 503 before anything is stored. */
    private void admitIo() {
        if (ioAdmitted.incrementAndGet() > ioConcurrency + ioQueue) {
            ioAdmitted.decrementAndGet();
            throw Problem.busy("The I/O jobs are at their limit: " + ioConcurrency + " running and " + ioQueue
                            + " waiting. Try again shortly.", retryAfterSeconds)
                    .with("pool", "jobs-io")
                    .with("concurrency", ioConcurrency)
                    .with("queueCapacity", ioQueue);
        }
    }

    /** One job's work, on a CPU pool thread or on its own virtual thread, and its outcome recorded. */
    private void work(Running job, JobKind kind, JsonObject params, boolean io) {
        Reporter progress = new Reporter(job);
        boolean slot = false;
        boolean started = false;
        JobStatus status = null;
        JsonValue result = null;
        String error = null;
        try {
            if (!job.attach()) {
                return; // cancelled (and recorded) or the server stopping, before it started
            }
            if (io) {
                ioSlots.acquire();
                slot = true;
            }
            if (!job.uninterrupted(() -> store.start(job.id, Job.now()), false)) {
                return; // cancelled while it waited, or the server is stopping
            }
            started = true;
            result = kind.run(params, progress);
            status = JobStatus.SUCCEEDED;
        } catch (Throwable e) {
            if (job.cancelled) {
                status = JobStatus.CANCELLED;
                error = started ? "Cancelled while running." : "Cancelled before it started.";
            } else if (job.stopping) {
                status = JobStatus.INTERRUPTED;
                error = "The server stopped while this job was " + (started ? "running." : "queued.");
            } else {
                status = JobStatus.FAILED;
                error = e instanceof Problem ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
                LOGGER.log(e instanceof Exception ? Level.FINE : Level.WARNING, "Job " + job.id + " failed", e);
            }
        } finally {
            if (slot) {
                ioSlots.release();
            }
            // From here no cancel can interrupt this thread, so the outcome is written whole.
            job.detach();
            if (status != null) {
                record(job.id, status, status == JobStatus.SUCCEEDED ? 100 : progress.last, result, error);
            }
            if (io) {
                ioAdmitted.decrementAndGet();
            }
            running.remove(job.id, job);
            job.done.countDown();
        }
    }

    private void record(String id, JobStatus status, int progress, JsonValue result, String error) {
        try {
            store.finish(id, status, progress, result, error, Job.now());
        } catch (RuntimeException e) {
            if (status == JobStatus.SUCCEEDED) {
                // E.g. a result too large for its column: the job still must not look successful without one.
                record(id, JobStatus.FAILED, progress, null, "The result could not be stored: " + e.getMessage());
            } else {
                LOGGER.log(Level.WARNING, "Could not record that job " + id + " ended " + status.text()
                        + "; the next start will mark it interrupted.", e);
            }
        }
    }

    /** The job, if there is one with this id. */
    public Optional<Job> find(String id) {
        return store.find(id);
    }

    /** How many jobs there are, of one status or of all. */
    public long count(Optional<JobStatus> status) {
        return store.count(status);
    }

    /** A page of jobs, newest first. */
    public List<Job> page(Optional<JobStatus> status, long limit, long offset) {
        return store.page(status, limit, offset);
    }

    /**
     * Cancels a queued or running job. A queued job is cancelled at once; running work is
     * interrupted and stops at its next check, and this waits (a bounded time) for it to do so.
     *
     * @return the job afterwards: cancelled, or still running when its work has not stopped yet
     * @throws Problem 404 for an unknown job, 409 for one that had already finished
     */
    public Job cancel(String id) throws InterruptedException {
        Job job = find(id).orElseThrow(() -> notFound(id));
        if (job.status().finished()) {
            throw conflict(job, "already ended " + job.status().text() + "; there is nothing to cancel");
        }
        Running handle = running.get(id);
        if (handle != null) {
            handle.stop(false);
            if (store.cancelQueued(id, Job.now())) {
                // It never started. Still in the CPU pool's queue? Take it out, so its place is free now.
                Future<?> future = handle.future;
                if (future != null && future.cancel(false)) {
                    cpuPool.purge();
                    running.remove(id, handle);
                    handle.done.countDown();
                }
            } else {
                handle.done.await(stopWait.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        Job after = find(id).orElseThrow(() -> notFound(id));
        if (after.status().finished() && after.status() != JobStatus.CANCELLED) {
            throw conflict(after, "ended " + after.status().text() + " before it could be cancelled");
        }
        return after;
    }

    static Problem notFound(String id) {
        return Problem.notFound("No job with id '" + Params.shorten(id, 64) + "'.");
    }

    private static Problem conflict(Job job, String why) {
        return Problem.of(Status.CONFLICT_409, "Conflict", "Job " + job.id() + " " + why + ".")
                .with("job", job.json());
    }

    /** The pool computing kinds run on. */
    public BoundedPool cpuPool() {
        return cpuPool;
    }

    /** I/O jobs running right now. */
    public int ioRunning() {
        return ioConcurrency - ioSlots.availablePermits();
    }

    /** I/O jobs accepted and not running yet: waiting for one of the {@code io-concurrency} places. */
    public int ioQueued() {
        return Math.max(0, ioAdmitted.get() - ioRunning());
    }

    /**
     * Stops taking jobs, interrupts the running ones (they end {@code interrupted}), waits a
     * bounded time for them, and marks whatever is still queued or running as interrupted: a
     * clean stop leaves nothing for the next start to repair.
     */
    @Override
    public void close() {
        closed = true;
        List<Running> stopping = running.values().stream().filter(job -> job.stop(true)).toList();
        long deadline = System.nanoTime() + stopWait.toNanos();
        try {
            for (Running job : stopping) {
                job.done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cpuPool.close();
        try {
            store.interruptUnfinished(Job.now());
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not mark unfinished jobs as interrupted; the next start will.", e);
        }
    }

    /**
     * A job accepted by this process and not finished: what a cancel or the shutdown reaches.
     * The lock makes "is it running, and on which thread" one question, so an interrupt is only
     * ever sent to the thread running this job, never to a pool thread that has moved on.
     */
    private static final class Running {

        final String id;
        final CountDownLatch done = new CountDownLatch(1);
        private final ReentrantLock lock = new ReentrantLock();
        private Thread runner;
        volatile boolean cancelled;
        volatile boolean stopping;
        /** Its task in the CPU pool, while it may still wait there. */
        volatile Future<?> future;

        Running(String id) {
            this.id = id;
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
    }

    /** Progress as the work sees it: writes only a higher percentage, never fails the work. */
    private final class Reporter implements Progress {

        private final Running job;
        volatile int last;

        Reporter(Running job) {
            this.job = job;
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
                    store.progress(job.id, clamped);
                    return true;
                }, false);
            } catch (RuntimeException e) {
                // Progress is for people watching; a busy database must not fail the work.
                LOGGER.log(Level.FINE, "Could not record progress of job " + job.id, e);
            }
        }

        @Override
        public void check() throws InterruptedException {
            if (job.cancelled || job.stopping || Thread.currentThread().isInterrupted()) {
                throw new InterruptedException(job.cancelled ? "cancelled" : "stopping");
            }
        }
    }
}
