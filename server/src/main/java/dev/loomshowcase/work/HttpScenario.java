package dev.loomshowcase.work;

import java.util.concurrent.CompletableFuture;

import dev.loomshowcase.styles.Styles;
import dev.loomshowcase.upstream.UpstreamClient;
import dev.loomshowcase.upstream.UpstreamClient.Reply;

import static dev.loomshowcase.work.SleepScenario.MS;

/**
 * {@code /http/{style}?ms=}: one call to a slow external API (the upstream mock's
 * {@code /delay}). FastAPI's lesson is {@code requests} (blocking) vs {@code httpx} (async).
 * Here the work is the JDK {@code HttpClient}'s blocking {@code send}, and its twin is
 * {@code sendAsync} on the same client: on a virtual thread the blocking call scales like the
 * async one without a single callback. Each style's Javadoc says which FastAPI handler it answers.
 */
public final class HttpScenario implements Scenario {

    private final Styles styles;
    private final UpstreamClient upstream;

    public HttpScenario(Styles styles, UpstreamClient upstream) {
        this.styles = styles;
        this.upstream = upstream;
    }

    /** The work, blocking: the thread waits for the answer ({@code requests.get(...)}). */
    Reply call(long ms) {
        return upstream.delay(ms, 200);
    }

    /** The same call, non-blocking: the client completes the future when the answer arrives ({@code await httpx...get}). */
    CompletableFuture<Reply> callAsync(long ms) {
        return upstream.delayAsync(ms, 200);
    }

    @Override
    public void addRoutes(Routes routes) {
        routes.with("one upstream call taking ms", MS)
                .get("/http/virtual", q -> styles.virtual().run(() -> call(q.get(MS))))
                .get("/http/platform", q -> styles.platform().run(() -> call(q.get(MS))))
                .get("/http/limited", q -> styles.limited().run(() -> call(q.get(MS))))
                .get("/http/reactive", q -> styles.reactive().run(() -> callAsync(q.get(MS))))
                .get("/http/eventloop-blocked", q -> styles.eventLoopBlocked().run(() -> call(q.get(MS))))
                .get("/http/pinned-sync", q -> styles.pinnedSync().run(() -> call(q.get(MS))))
                .get("/http/pinned-native", q -> styles.pinnedNative().run(() -> call(q.get(MS))))
                .get("/http/pinned-clinit", q -> styles.pinnedClinit().run(() -> call(q.get(MS))));
    }
}
