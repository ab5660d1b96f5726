package dev.loomshowcase.work;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.loomshowcase.styles.Styles;
import dev.loomshowcase.web.Parameter;

/**
 * {@code /sleep/{style}?ms=}: the simplest blocking work there is, {@code Thread.sleep(ms)}.
 * FastAPI's lesson is that {@code time.sleep} in an {@code async def} freezes the server and
 * {@code await asyncio.sleep} does not. In Java the plain blocking sleep is fine on a virtual
 * thread; the other styles show what it costs elsewhere. Each style's Javadoc says which FastAPI
 * handler it answers.
 */
public final class SleepScenario implements Scenario {

    public static final Parameter MS = new Parameter("ms", 0, 60_000, 1_000, "how long to sleep, in milliseconds");

    /** What the work returns. */
    public record Slept(long ms) {
    }

    private final Styles styles;

    public SleepScenario(Styles styles) {
        this.styles = styles;
    }

    /** The work, blocking: the thread waits here ({@code time.sleep(ms / 1000)}). */
    static Slept sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return new Slept(ms);
    }

    /** The same work, non-blocking: a timer completes the future; no thread waits ({@code await asyncio.sleep}). */
    static CompletableFuture<Slept> sleepAsync(long ms) {
        return CompletableFuture.supplyAsync(() -> new Slept(ms),
                CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS));
    }

    @Override
    public void addRoutes(Routes routes) {
        routes.with("sleeps ms", MS)
                .get("/sleep/virtual", q -> styles.virtual().run(() -> sleep(q.get(MS))))
                .get("/sleep/platform", q -> styles.platform().run(() -> sleep(q.get(MS))))
                .get("/sleep/limited", q -> styles.limited().run(() -> sleep(q.get(MS))))
                .get("/sleep/reactive", q -> styles.reactive().run(() -> sleepAsync(q.get(MS))))
                .get("/sleep/eventloop-blocked", q -> styles.eventLoopBlocked().run(() -> sleep(q.get(MS))))
                .get("/sleep/pinned-sync", q -> styles.pinnedSync().run(() -> sleep(q.get(MS))))
                .get("/sleep/pinned-native", q -> styles.pinnedNative().run(() -> sleep(q.get(MS))))
                .get("/sleep/pinned-clinit", q -> styles.pinnedClinit().run(() -> sleep(q.get(MS))));
    }
}
