package dev.loomshowcase.work;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.loomshowcase.styles.Style;
import dev.loomshowcase.styles.Work;
import dev.loomshowcase.web.Parameter;

/**
 * {@code /sleep/{style}?ms=}: the simplest blocking work there is, {@code Thread.sleep(ms)}.
 * FastAPI's lesson is that {@code time.sleep} in an {@code async def} freezes the server and
 * {@code await asyncio.sleep} does not. In Java the plain blocking sleep is fine on a virtual
 * thread; the other styles show what it costs elsewhere.
 */
public final class SleepScenario implements Scenario {

    public static final Parameter MS = new Parameter("ms", 0, 60_000, 1_000, "how long to sleep, in milliseconds");

    /** What the work returns. */
    public record Slept(long ms) {
    }

    private final List<Style> styles;

    /** @param styles the general styles to offer (virtual, platform, reactive, eventloop-blocked, ...) */
    public SleepScenario(List<Style> styles) {
        this.styles = styles;
    }

    /** The work, blocking: the thread waits here. */
    static Slept sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return new Slept(ms);
    }

    /** The same work, non-blocking: a timer completes the future; no thread waits. */
    static CompletableFuture<Slept> sleepAsync(long ms) {
        return CompletableFuture.supplyAsync(() -> new Slept(ms),
                CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS));
    }

    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public List<Route> routes() {
        return Route.inEachStyle(name(), "sleeps ms", styles, List.of(MS), args -> {
            long ms = args.get(MS);
            return new Work<>(() -> sleep(ms), () -> sleepAsync(ms));
        });
    }
}
