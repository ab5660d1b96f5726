package dev.loomshowcase.race;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import dev.loomshowcase.burst.Target;
import dev.loomshowcase.observe.PinningMonitor;
import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.JsonValues;
import dev.loomshowcase.web.Problem;
import dev.loomshowcase.work.Route;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;

import jakarta.json.JsonObject;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code /race}: a page that races styles of one scenario against each other, live. The server
 * runs the bursts against itself with {@code burst.Burst} (the load generator's too), one style after
 * another, and streams what happens as server-sent events: completions over time, each style's
 * makespan and p99, the side probe's p99, and pinned virtual threads as JFR reports them.
 *
 * <p>One race at a time (a second one would share the machine and spoil both), and each race
 * has a hard time bound; its inputs are bounded like every other parameter of the showcase.
 */
public final class RaceService implements EndpointService {

    /** How often the stream sends a lane's progress. */
    private static final long TICK_MILLIS = 100;
    /**
     * How far past its bound the stream waits for a race. A burst ends on its own a few seconds
     * after its timeout (it allows a second for stragglers and two for closing), so this is
     * only reached if something is badly stuck.
     */
    private static final Duration OVERRUN = Duration.ofSeconds(15);
    /** The longest Retry-After a refused race is told. */
    private static final int BUSY_RETRY_SECONDS = 5;

    private final Map<String, List<Route>> byScenario = new LinkedHashMap<>();
    private final PinningMonitor monitor;
    private final IntSupplier port;
    private final Duration maxTime;
    private final AtomicReference<Race> running = new AtomicReference<>();
    private final Map<String, Page> pages;

    /** One static file of the page, read from the class path once. */
    private record Page(byte[] bytes, HttpMediaType type) {
    }

    /**
     * @param routes  the scenario × style matrix: a race offers exactly the styles each scenario routes
     * @param monitor the live pinning monitor, whose events are forwarded to the race's lane
     * @param port    this server's port, read when a race starts (tests bind port 0)
     * @param maxTime the hard bound of one race, all styles together
     */
    public RaceService(List<Route> routes, PinningMonitor monitor, IntSupplier port, Duration maxTime) {
        routes.forEach(route -> byScenario.computeIfAbsent(route.scenario(), s -> new ArrayList<>()).add(route));
        this.monitor = monitor;
        this.port = port;
        this.maxTime = maxTime;
        this.pages = Map.of(
                "race.html", page("race.html", "text/html; charset=UTF-8"),
                "race.js", page("race.js", "text/javascript; charset=UTF-8"),
                "race.css", page("race.css", "text/css; charset=UTF-8"));
    }

    private static Page page(String name, String type) {
        try (InputStream in = RaceService.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("web/" + name + " is missing from the class path");
            }
            return new Page(in.readAllBytes(), HttpMediaType.create(type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(Method.GET, "/race",
                        "the race page: pick a scenario, N, ms and styles; watch them race live (HTML + SVG)",
                        (req, res) -> send(res, "race.html")),
                Endpoint.of(Method.GET, "/race/race.js", "the race page's script", (req, res) -> send(res, "race.js")),
                Endpoint.of(Method.GET, "/race/race.css", "the race page's styles", (req, res) -> send(res, "race.css")),
                new Endpoint(Method.GET, "/race/run",
                        "a race against this server, style after style, streamed as server-sent events; one at a time",
                        RacePlan.PARAMETERS, "/race/run?scenario=sleep&n=100&ms=500&styles=virtual,platform", this::run));
    }

    private void send(ServerResponse res, String name) {
        Page page = pages.get(name);
        res.headers().contentType(page.type());
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(page.bytes());
    }

    private void run(ServerRequest req, ServerResponse res) throws InterruptedException {
        RacePlan plan = RacePlan.from(req, byScenario);
        // Loopback, whatever server.host says: the load generator sends nowhere else.
        Target origin = Target.of("http://127.0.0.1:" + port.getAsInt() + "/");
        Race race = new Race(plan, origin, maxTime, monitor.enabled());
        if (!running.compareAndSet(null, race)) {
            Race other = running.get();
            // Most races take seconds, not their bound: ask the client back soon, at most when the bound passes.
            long secondsLeft = other == null ? 1
                    : TimeUnit.NANOSECONDS.toSeconds(other.deadlineNanos() - System.nanoTime()) + 1;
            throw Problem.busy("A race is running; one at a time, so that each style has the machine to itself.",
                    Math.clamp(secondsLeft, 1, BUSY_RETRY_SECONDS));
        }
        BlockingQueue<PinningMonitor.Pinned> pinned = monitor.subscribe();
        try {
            Thread.ofVirtual().name("race").start(() -> {
                Race.Event last = Race.failure("Race failed", "The race ended without a result.");
                try {
                    last = race.run();
                } finally {
                    // Released when the last burst has really ended, not when the stream gives up on
                    // it; and before the last event, so a client that reads "done" may race again.
                    running.compareAndSet(race, null);
                    race.events().add(last);
                }
            });
            stream(race, pinned, res);
        } finally {
            monitor.unsubscribe(pinned);
        }
    }

    /** Writes the race's events as they come, a progress tick every 100 ms, and pinning as JFR reports it. */
    private void stream(Race race, BlockingQueue<PinningMonitor.Pinned> pinned, ServerResponse res)
            throws InterruptedException {
        long giveUp = race.deadlineNanos() + OVERRUN.toNanos();
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            emit(sink, "race", race.planJson(maxTime, Map.of("enabled", monitor.enabled(),
                    "thresholdMs", monitor.threshold().toMillis())));
            long nextTick = System.nanoTime();
            while (true) {
                Race.Event event = race.events().poll(Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS);
                forwardPinned(race, pinned, sink);
                if (event != null) {
                    if (event.lane() != null && event.lane().started()) {
                        emit(sink, "progress", event.lane().progress()); // its last ends, before its result
                    }
                    emit(sink, event.name(), event.data());
                    if (event.last()) {
                        return;
                    }
                }
                if (System.nanoTime() >= nextTick) {
                    Lane lane = race.current();
                    if (lane != null && lane.started()) {
                        emit(sink, "progress", lane.progress());
                    } else {
                        sink.emit(SseEvent.builder().comment("waiting").build()); // a client gone fails here
                    }
                    nextTick = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
                }
                if (System.nanoTime() > giveUp) {
                    race.cancel();
                    Race.Event failure = Race.failure("Race overran", "The race did not end within "
                            + (maxTime.toSeconds() + OVERRUN.toSeconds()) + " s; the stream stops here.");
                    emit(sink, failure.name(), failure.data());
                    return;
                }
            }
        } catch (UncheckedIOException | CloseConnectionException e) {
            race.cancel(); // the client closed the page: no more styles
        }
    }

    /** One named event; its data (JSON here) is written by its {@code toString()}. */
    private static void emit(SseSink sink, String name, Object data) {
        sink.emit(SseEvent.builder().name(name).data(String.valueOf(data)).build());
    }

    private void forwardPinned(Race race, BlockingQueue<PinningMonitor.Pinned> pinned, SseSink sink) {
        for (PinningMonitor.Pinned event = pinned.poll(); event != null; event = pinned.poll()) {
            Lane lane = laneOf(race, event);
            if (lane != null) {
                emit(sink, "pinned", pinnedJson(lane, event));
            }
        }
    }

    /**
     * The lane a pinning belongs to: the one whose route the monitor gave it. The monitor also
     * places a pinning JFR reports without its thread (by its carrier and start), so the race
     * and {@code GET /observe/pinning} always agree.
     */
    private static Lane laneOf(Race race, PinningMonitor.Pinned event) {
        for (Lane lane : race.lanes()) {
            if (lane.path().equals(event.route())) {
                return lane;
            }
        }
        return null;
    }

    private static JsonObject pinnedJson(Lane lane, PinningMonitor.Pinned event) {
        int count = lane.pinned();
        Double at = lane.msSinceT0(event.start());
        // The first frame of this project says more than the JDK's parking frames above it.
        String frame = event.topFrames().stream()
                .filter(f -> f.startsWith("dev.loomshowcase."))
                .findFirst()
                .orElse(event.topFrames().isEmpty() ? "" : event.topFrames().getFirst());
        return JSON.createObjectBuilder()
                .add("style", lane.style())
                .add("route", event.route())
                .add("count", count)
                .add("atMs", at == null ? JsonValues.of(null) : JsonValues.of(at))
                .add("durationMs", Math.round(event.durationMs() * 10) / 10.0)
                .add("pinnedReason", event.pinnedReason())
                .add("blockingOperation", event.blockingOperation())
                .add("carrier", event.carrier())
                .add("frame", frame)
                .add("frames", JsonValues.of(event.topFrames()))
                .build();
    }
}
