package dev.loomshowcase.work;

import java.math.BigInteger;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.LongStream;

import dev.loomshowcase.concurrency.Waiting;
import dev.loomshowcase.styles.PlatformStyle;
import dev.loomshowcase.styles.VirtualStyle;
import dev.loomshowcase.web.Parameter;

/**
 * {@code /cpu/{style}?n=}: work that never waits, only computes (the sum of i*i for i &lt; n,
 * exact as Python's {@code sum(i*i for i in range(n))}: see {@link SumOfSquares}; returned so
 * the JIT cannot drop the loop). Virtual threads do not help
 * here: the scheduler does not time-slice, so a CPU-bound virtual thread holds its carrier
 * until it is done, and a few of them starve every other request (FastAPI's CPU-bound
 * {@code async def}). {@code yielding} is the {@code asyncio.sleep(0)} analogue;
 * {@code platform} moves the work to a pool sized to the cores; {@code parallel} splits one
 * request's loop over a ForkJoin pool.
 */
public final class CpuScenario implements Scenario {

    public static final Parameter N = new Parameter("n", 1, 20_000_000_000L, 1_000_000_000L,
            "iterations of the loop (about 0.3 s per 10^9 on this machine kind)");
    /** How many iterations the yielding style runs between two {@code Thread.yield()} calls. */
    static final long YIELD_EVERY = 1_000_000;
    /** How many iterations one piece of the parallel style's loop runs. */
    static final long PARALLEL_PIECE = 1_000_000;

    /** What the work returns: the exact sum, a JSON number of any size. */
    public record Sum(long n, BigInteger sumOfSquares) {

        public Sum(long n, SumOfSquares sum) {
            this(n, sum.toBigInteger());
        }
    }

    private final VirtualStyle virtual;
    private final PlatformStyle cpuPool;
    private final ForkJoinPool parallelPool;

    /**
     * @param cpuPool      a platform pool sized to the cores, with a bounded queue
     * @param parallelPool the pool one request's loop is split over
     */
    public CpuScenario(VirtualStyle virtual, PlatformStyle cpuPool, ForkJoinPool parallelPool) {
        this.virtual = virtual;
        this.cpuPool = cpuPool;
        this.parallelPool = parallelPool;
    }

    /** The work: one long loop that never blocks. */
    static Sum sumOfSquares(long n) {
        return new Sum(n, SumOfSquares.over(0, n));
    }

    /** The same loop, offering the carrier to other virtual threads every {@code every} iterations. */
    static Sum sumOfSquaresYielding(long n, long every) {
        SumOfSquares sum = SumOfSquares.ZERO;
        for (long start = 0; start < n; start += every) {
            sum = sum.plusSquares(start, Math.min(n, start + every));
            Thread.yield();
        }
        return new Sum(n, sum);
    }

    /** The same loop split into pieces that run on every core of {@code pool}. */
    static Sum sumOfSquaresParallel(long n, ForkJoinPool pool) throws Exception {
        // A parallel stream started from inside a ForkJoinPool task runs on that pool.
        long pieces = (n + PARALLEL_PIECE - 1) / PARALLEL_PIECE;
        SumOfSquares sum = Waiting.forResult(pool.submit(() -> LongStream.range(0, pieces).parallel()
                .mapToObj(piece -> SumOfSquares.over(piece * PARALLEL_PIECE, Math.min(n, (piece + 1) * PARALLEL_PIECE)))
                .reduce(SumOfSquares.ZERO, SumOfSquares::plus)));
        return new Sum(n, sum);
    }

    @Override
    public void addRoutes(Routes routes) {
        routes.with(N)
                // A CPU-bound async def: the loop holds the event loop until it is done.
                .get("/cpu/virtual", "the loop on the request's virtual thread: holds a carrier until done",
                        q -> virtual.run(() -> sumOfSquares(q.get(N))))
                // The same loop with await asyncio.sleep(0) every so often.
                .get("/cpu/yielding", "the loop on the virtual thread, calling Thread.yield() every " + YIELD_EVERY
                        + " iterations (asyncio.sleep(0))", q -> virtual.run(() -> sumOfSquaresYielding(q.get(N), YIELD_EVERY)))
                // loop.run_in_executor(ThreadPoolExecutor(...), cpu_task), or a plain def handler.
                .get("/cpu/platform", "the loop on a bounded pool of " + cpuPool.pool().size()
                        + " platform threads (one per core): carriers stay free; a full queue answers 503",
                        q -> cpuPool.run(() -> sumOfSquares(q.get(N))))
                // One request's loop over a ProcessPoolExecutor: the request itself uses every core.
                .get("/cpu/parallel", "one request's loop split over a ForkJoin pool of " + parallelPool.getParallelism()
                        + " threads", q -> virtual.run(() -> sumOfSquaresParallel(q.get(N), parallelPool)));
        // await asyncio.sleep(0.3) in an app whose loop is busy computing: it wakes late.
        routes.with(TimerRoute.MS)
                .get("/cpu/timer", TimerRoute.DESCRIPTION, q -> virtual.run(() -> TimerRoute.sleepAndMeasure(q.get(TimerRoute.MS))));
    }
}
