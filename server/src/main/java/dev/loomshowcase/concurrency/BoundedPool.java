package dev.loomshowcase.concurrency;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.loomshowcase.web.Problem;

/**
 * A fixed number of platform threads in front of a bounded queue: the classic
 * thread-per-request server, and FastAPI's threadpool for {@code def} handlers. When both the
 * threads and the queue are taken, new work is refused at once with 503 + Retry-After instead
 * of piling up without limit.
 */
public final class BoundedPool implements Executor, AutoCloseable {

    private final String name;
    private final int size;
    private final int queueCapacity;
    private final int retryAfterSeconds;
    private final ThreadPoolExecutor executor;
    private final LongAdder rejected = new LongAdder();

    /**
     * @param name              thread name prefix, shown in responses ({@code platform-pool-3})
     * @param size              number of platform threads
     * @param queueCapacity     how much work may wait for a thread
     * @param retryAfterSeconds what a refused client is told
     */
    public BoundedPool(String name, int size, int queueCapacity, int retryAfterSeconds) {
        if (size < 1 || queueCapacity < 0) {
            throw new IllegalArgumentException(name + ": size must be >= 1 and queue >= 0");
        }
        this.name = name;
        this.size = size;
        this.queueCapacity = queueCapacity;
        this.retryAfterSeconds = retryAfterSeconds;
        this.executor = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS,
                queueCapacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueCapacity),
                Thread.ofPlatform().name(name + "-", 1).daemon(true).factory(),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs the task on one of the pool's threads and waits for it. The caller (a virtual thread)
     * parks while it waits, so waiting is cheap; the pool's threads are what is scarce.
     *
     * @throws Problem 503 when the pool and its queue are full
     */
    public <T> T runAndWait(Callable<T> task) throws Exception {
        return Waiting.forResult(submit(task));
    }

    /**
     * Queues the task without waiting.
     *
     * @throws Problem 503 when the pool and its queue are full
     */
    public <T> Future<T> submit(Callable<T> task) {
        try {
            return executor.submit(task);
        } catch (RejectedExecutionException e) {
            throw full();
        }
    }

    /** Executor form, for {@code CompletableFuture.supplyAsync(..., pool)}; full → 503 too. */
    @Override
    public void execute(Runnable command) {
        try {
            executor.execute(command);
        } catch (RejectedExecutionException e) {
            throw full();
        }
    }

    private Problem full() {
        rejected.increment();
        return Problem.busy("The " + name + " is full: " + size + " threads busy and "
                        + queueCapacity + " tasks queued. Try again shortly.", retryAfterSeconds)
                .with("pool", name)
                .with("poolSize", size)
                .with("queueCapacity", queueCapacity);
    }

    public String name() {
        return name;
    }

    public int size() {
        return size;
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    /** Threads running work right now. */
    public int active() {
        return executor.getActiveCount();
    }

    /** Tasks waiting for a thread right now. */
    public int queued() {
        return executor.getQueue().size();
    }

    /** Work refused with 503 since the pool was made (pool and queue full). */
    public long rejected() {
        return rejected.sum();
    }

    /**
     * Drops cancelled tasks from the queue now. A cancelled task otherwise keeps its place until
     * a thread reaches it, and a queue full of cancelled work refuses new work for nothing.
     */
    public void purge() {
        executor.purge();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
