package dev.loomshowcase.work;

import java.util.List;

import dev.loomshowcase.styles.VirtualStyle;
import dev.loomshowcase.styles.Work;
import dev.loomshowcase.web.Parameter;

/**
 * {@code /cpu/timer?ms=300}: timers starve too. The request's virtual thread sleeps {@code ms}
 * and reports how late it woke. On its own it wakes on time. While CPU-bound loops on virtual
 * threads ({@code /cpu/virtual}) hold every carrier, the timer still fires on time, but the
 * woken thread needs a carrier to run again, and none is free until a loop ends: a 300 ms
 * deadline (a sleep, a read timeout, a retry back-off) is kept a second late. Beside
 * {@code /cpu/platform} loops, which the OS time-slices, it wakes on time.
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

    private TimerRoute() {
    }

    /** The work: sleep, and measure how long until this thread runs again. */
    static Overrun sleepAndMeasure(long ms) throws InterruptedException {
        long start = System.nanoTime();
        Thread.sleep(ms);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        return new Overrun(ms, tookMs, Math.max(0, tookMs - ms));
    }

    /** The route, on the request's virtual thread, in the scenario named {@code scenario}. */
    static Route route(String scenario, VirtualStyle virtual) {
        return new Route(scenario, "timer", "sleeps ms on the request's virtual thread and reports how late it woke"
                + " (askedMs, tookMs, overrunMs): run it beside /cpu/virtual loops, then beside /cpu/platform ones",
                List.of(MS), args -> virtual.run(Work.blocking(() -> sleepAndMeasure(args.get(MS)))));
    }
}
