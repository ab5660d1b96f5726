package dev.loomshowcase.jobs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.loomshowcase.concurrency.BoundedPool;
import dev.loomshowcase.db.Database;
import dev.loomshowcase.upstream.UpstreamClient;
import dev.loomshowcase.web.Problem;

import io.helidon.config.Config;
import io.helidon.http.Status;

import jakarta.json.JsonObject;

/**
 * Background jobs, the tutorials' {@code BackgroundTasks} done properly: every job is a row in
 * the database before its work starts, so a client can ask about it, cancel it, and find it
 * again after a restart; and every queue is bounded, so a flood of submissions is refused with
 * 503 + Retry-After instead of growing memory until the server dies.
 *
 * <p>This class follows one job through its parts: {@link JobAdmission} lets it in,
 * {@link JobDispatch} runs it (computing kinds on platform threads, waiting kinds on virtual
 * threads), {@link RunningJob} is what a cancel or the shutdown reaches, {@link JobOutcomes}
 * records how it ended, and {@link JobShutdown} leaves nothing unfinished behind a stop.
 *
 * <p>Other code submits jobs with {@link #submit}, exactly as {@code POST /jobs} does.
 */
public final class JobQueue implements AutoCloseable {

    private final JobStore store;
    private final Map<String, JobKind> kinds = new LinkedHashMap<>();
    private final JobAdmission admission;
    private final JobDispatch dispatch;
    private final JobOutcomes outcomes;
    private final JobShutdown shutdown;
    private final Duration stopWait;
    /** Jobs accepted by this process and not yet finished, by id: what a cancel reaches. */
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();

    /** The parts, built by {@link #create} from the {@code app.jobs} node; {@code stopWait} bounds a cancel's wait. */
    public JobQueue(Database database, List<JobKind> kinds, BoundedPool cpuPool, int ioConcurrency, int ioQueue,
                    int retryAfterSeconds, Duration stopWait) {
        this.store = new JobStore(database);
        kinds.forEach(kind -> this.kinds.put(kind.name(), kind));
        this.admission = new JobAdmission(ioConcurrency, ioQueue, retryAfterSeconds);
        this.dispatch = new JobDispatch(cpuPool, ioConcurrency);
        this.outcomes = new JobOutcomes(store);
        this.shutdown = new JobShutdown(store, stopWait);
        this.stopWait = stopWait;
    }

    /**
     * The showcase's four kinds (cpu, process-data, s3-upload, runpod), from the {@code app.jobs}
     * node: {@code cpu-threads} (0 = number of cores), {@code cpu-queue}, {@code io-concurrency},
     * {@code io-queue}, {@code stop-wait-ms} and {@code runpod}.
     */
    public static JobQueue create(Config config, Database database, UpstreamClient upstream, int retryAfterSeconds) {
        int cpuThreads = config.get("cpu-threads").asInt().get();
        BoundedPool cpuPool = new BoundedPool("jobs-cpu",
                cpuThreads > 0 ? cpuThreads : Runtime.getRuntime().availableProcessors(),
                config.get("cpu-queue").asInt().get(), retryAfterSeconds);
        return new JobQueue(database,
                List.of(new CpuJob(), new ProcessDataJob(), new S3UploadJob(upstream),
                        RunPodJob.create(upstream, config.get("runpod"))),
                cpuPool, config.get("io-concurrency").asInt().get(), config.get("io-queue").asInt().get(),
                retryAfterSeconds, Duration.ofMillis(config.get("stop-wait-ms").asLong().get()));
    }

    /**
     * The start-up step: jobs a previous run left queued or running (it crashed, or was killed
     * before it could record them) are marked {@code interrupted}.
     */
    public void start() {
        shutdown.markLeftByPreviousRun();
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
        boolean io = !jobKind.cpuBound();
        admission.admit(io);
        Job job = new Job(UUID.randomUUID().toString(), jobKind.name(), JobStatus.QUEUED, 0, checked, null, null,
                Job.now(), null, null);
        RunningJob handle = new RunningJob(job.id());
        // In the map before the row exists: whoever can read the job can cancel it.
        running.put(job.id(), handle);
        try {
            store.insert(job);
        } catch (RuntimeException e) {
            running.remove(job.id());
            admission.leave(io);
            throw e;
        }
        try {
            dispatch.start(handle, io, jobKind.name(), () -> work(handle, jobKind, checked, io));
        } catch (Problem refused) {
            // The CPU pool's queue is full. The client hears 503 and gets no id: the row must not stay behind.
            running.remove(job.id());
            outcomes.forget(job.id());
            throw refused;
        }
        return job;
    }

    /** One job's work, on a CPU pool thread or on its own virtual thread, and its outcome recorded. */
    private void work(RunningJob job, JobKind kind, JsonObject params, boolean io) {
        StoredProgress progress = new StoredProgress(job, store);
        boolean slot = false;
        boolean started = false;
        JobOutcomes.Outcome outcome = null;
        try {
            if (!job.attach()) {
                return; // cancelled (and recorded) or the server stopping, before it started
            }
            slot = dispatch.takeSlot(io);
            if (!job.uninterrupted(() -> store.start(job.id(), Job.now()), false)) {
                return; // cancelled while it waited, or the server is stopping
            }
            started = true;
            outcome = JobOutcomes.succeeded(kind.run(params, progress));
        } catch (Throwable e) {
            outcome = JobOutcomes.ended(job, started, e);
        } finally {
            if (slot) {
                dispatch.releaseSlot();
            }
            // From here no cancel can interrupt this thread, so the outcome is written whole.
            job.detach();
            if (outcome != null) {
                outcomes.record(job.id(), outcome, progress.last());
            }
            admission.leave(io);
            running.remove(job.id(), job);
            job.finished();
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
        RunningJob handle = running.get(id);
        if (handle != null) {
            handle.stop(false);
            if (store.cancelQueued(id, Job.now())) {
                // It never started. Still in the CPU pool's queue? Taken out, its place is free now.
                if (dispatch.withdraw(handle)) {
                    running.remove(id, handle);
                    handle.finished();
                }
            } else {
                handle.awaitFinished(stopWait);
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
        return dispatch.cpuPool();
    }

    /** I/O jobs running right now. */
    public int ioRunning() {
        return dispatch.ioRunning();
    }

    /** I/O jobs accepted and not running yet: waiting for one of the {@code io-concurrency} places. */
    public int ioQueued() {
        return Math.max(0, admission.ioAdmitted() - ioRunning());
    }

    /**
     * Stops taking jobs, interrupts the running ones (they end {@code interrupted}), waits a
     * bounded time for them, and marks whatever is still queued or running as interrupted: a
     * clean stop leaves nothing for the next start to repair.
     */
    @Override
    public void close() {
        admission.close();
        shutdown.stop(running.values(), dispatch);
    }
}
