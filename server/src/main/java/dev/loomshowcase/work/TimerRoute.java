package dev.loomshowcase.work;

import dev.loomshowcase.web.Parameter;

/**
 * {@code /cpu/timer?ms=300}: timers starve too. The request's virtual thread sleeps {@code ms}
 * and reports how late it woke. On its own it wakes on time. While CPU-bound loops on virtual
 * threads ({@code /cpu/virtual}) hold every carrier, the timer still fires on time, but the
 * woken thread needs a carrier to run again, and none is free until a loop ends: a 300 ms
 * deadline (a sleep, a read timeout, a retry back-off) is kept a second late. Beside
 * {@code /cpu/platform} loops, which the OS time-slices, it wakes on time. {@link CpuScenario}
 * writes the route; this is its parameter and its work.
 */
final class TimerRoute {

    static final Parameter MS = new Parameter("ms", 1, 10_000, 300,
            "how long to sleep, in milliseconds: the deadline whose overrun the answer reports");

    /**
     * What the work returns.
     *
     * @param askedMs   how long the thread asked to sleep
     * @param tookMs    how long it was until it ran again
     * @param overrunMs how late that was: {@code tookMs - askedMs}
     */
    record Overrun(long askedMs, long tookMs, long overrunMs) {
    }

    static final String DESCRIPTION = "sleeps ms on the request's virtual thread and reports how late it woke"
            + " (askedMs, tookMs, overrunMs): run it beside /cpu/virtual loops, then beside /cpu/platform ones";

    private TimerRoute() {
    }

    /**
     * The work: sleep, and measure how long until this thread runs again ({@code await asyncio.sleep}
     * in a FastAPI app whose loop is busy with CPU work wakes late the same way).
     */
    static Overrun sleepAndMeasure(long ms) throws InterruptedException {
        long start = System.nanoTime();
        Thread.sleep(ms);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        return new Overrun(ms, tookMs, Math.max(0, tookMs - ms));
    }
}
