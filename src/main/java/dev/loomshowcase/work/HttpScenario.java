package dev.loomshowcase.work;

import java.util.List;

import dev.loomshowcase.styles.Style;
import dev.loomshowcase.styles.Work;
import dev.loomshowcase.upstream.UpstreamClient;

/**
 * {@code /http/{style}?ms=}: one call to a slow external API (the upstream mock's
 * {@code /delay}). FastAPI's lesson is {@code requests} (blocking) vs {@code httpx} (async).
 * Here the work is the JDK {@code HttpClient}'s blocking {@code send}, and its non-blocking twin
 * {@code sendAsync} on the same client: on a virtual thread the blocking call scales like the
 * async one without a single callback.
 */
public final class HttpScenario implements Scenario {

    private final List<Style> styles;
    private final UpstreamClient upstream;

    public HttpScenario(List<Style> styles, UpstreamClient upstream) {
        this.styles = styles;
        this.upstream = upstream;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public List<Route> routes() {
        return Route.inEachStyle(name(), "one upstream call taking ms", styles, List.of(SleepScenario.MS), args -> {
            long ms = args.get(SleepScenario.MS);
            return new Work<>(() -> upstream.delay(ms, 200), () -> upstream.delayAsync(ms, 200));
        });
    }
}
