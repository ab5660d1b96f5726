package dev.loomshowcase.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.loomshowcase.styles.SynchronizedPinning;
import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.JsonValues;
import dev.loomshowcase.web.Parameter;
import dev.loomshowcase.web.Problem;

import jakarta.json.JsonObjectBuilder;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;

import jdk.management.VirtualThreadSchedulerMXBean;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code /observe/...}: what the virtual-thread machinery is doing right now. Pinning as JFR
 * sees it (as JSON, or live as server-sent events), the scheduler's carriers and queue, and a
 * JFR recording that can be started and stopped over HTTP (from loopback only).
 */
public final class ObserveService implements EndpointService {

    static final Parameter LAST = new Parameter("last", 0, 200, 20, "how many recent events to show");
    static final Parameter SETTLE = new Parameter("settle", 0, 5_000, 0,
            "ms to wait at most for JFR to deliver every pinning that ended before this request (0: answer at once)");
    static final Parameter SECONDS = new Parameter("seconds", 1, 3_600, 60,
            "how long the stream stays open before the server ends it");
    private static final long HEARTBEAT_SECONDS = 10;

    private final PinningMonitor monitor;
    private final RecordingControl recordings;
    private final int maxStreams;

    public ObserveService(PinningMonitor monitor, RecordingControl recordings, int maxStreams) {
        this.monitor = monitor;
        this.recordings = recordings;
        this.maxStreams = maxStreams;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(
                new Endpoint(Method.GET, "/observe/pinning",
                        "pinned virtual threads seen by JFR since start: total, per route, the last events with reason and stack",
                        List.of(LAST, SETTLE), "/observe/pinning?last=5", this::pinning),
                new Endpoint(Method.GET, "/observe/pinning/stream",
                        "the same events live, as server-sent events (text/event-stream)",
                        List.of(SECONDS), "/observe/pinning/stream?seconds=60", this::stream),
                Endpoint.of(Method.GET, "/observe/scheduler",
                        "the virtual-thread scheduler: parallelism, carriers, mounted and queued virtual threads",
                        this::scheduler),
                Endpoint.of(Method.POST, "/observe/recording/start",
                        "starts a JFR recording with the pinning profile (loopback only); returns its file name; "
                                + "the oldest recordings go past app.recordings.max-count or max-bytes", this::startRecording),
                Endpoint.of(Method.POST, "/observe/recording/stop",
                        "stops the recording and writes its file (loopback only)", this::stopRecording));
    }

    private void pinning(ServerRequest req, ServerResponse res) throws InterruptedException {
        int last = (int) LAST.from(req);
        long settle = SETTLE.from(req);
        // Read before the answer's counts: they then hold every pinning that ended before the request.
        Boolean settled = settle > 0 ? monitor.settle(Duration.ofMillis(settle)) : null;
        JsonObjectBuilder answer = JSON.createObjectBuilder();
        if (settled != null) {
            answer.add("settled", settled);
        }
        res.send(answer
                .add("monitorEnabled", monitor.enabled())
                .add("thresholdMs", monitor.threshold().toMillis())
                .add("synchronizedPins", SynchronizedPinning.pins())
                .add("lockingMode", SynchronizedPinning.lockingMode())
                .add("total", monitor.total())
                .add("byRoute", JsonValues.of(monitor.byRoute()))
                .add("last", JsonValues.of(monitor.last(last)))
                .add("note", "JFR delivers events about once a second; a pinning shows here shortly after it ends.")
                .build());
    }

    private void stream(ServerRequest req, ServerResponse res) throws InterruptedException {
        long seconds = SECONDS.from(req);
        if (!monitor.enabled()) {
            throw Problem.of(Status.CONFLICT_409, "Monitor off", "The pinning monitor is switched off (app.pinning-monitor.enabled).");
        }
        if (monitor.subscriberCount() >= maxStreams) {
            throw Problem.busy("At most " + maxStreams + " pinning streams may be open at once.", 5);
        }
        BlockingQueue<PinningMonitor.Pinned> events = monitor.subscribe();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            sink.emit(SseEvent.builder().comment("pinning events of this JVM, for " + seconds + " s").build());
            while (System.nanoTime() < deadline) {
                long waitNanos = Math.min(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(HEARTBEAT_SECONDS));
                PinningMonitor.Pinned event = events.poll(Math.max(waitNanos, 0), TimeUnit.NANOSECONDS);
                if (event == null) {
                    // The heartbeat: a client gone fails this write.
                    sink.emit(SseEvent.builder().comment("still here").build());
                } else {
                    sink.emit(SseEvent.builder().name("pinned").data(JsonValues.of(event).toString()).build());
                }
            }
            sink.emit(SseEvent.builder().name("end").data("{}").build());
        } catch (UncheckedIOException | CloseConnectionException e) {
            // The client closed the stream: nothing to answer.
        } finally {
            monitor.unsubscribe(events);
        }
    }

    private void scheduler(ServerRequest req, ServerResponse res) {
        VirtualThreadSchedulerMXBean scheduler = ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class);
        res.send(JSON.createObjectBuilder()
                .add("parallelism", scheduler.getParallelism())
                .add("poolSize", scheduler.getPoolSize())
                .add("mountedVirtualThreads", scheduler.getMountedVirtualThreadCount())
                .add("queuedVirtualThreads", scheduler.getQueuedVirtualThreadCount())
                .add("livePlatformThreads", ManagementFactory.getThreadMXBean().getThreadCount())
                .add("virtualThreadsStarted", monitor.virtualThreadsStarted())
                .add("virtualThreadSubmitsFailed", monitor.submitFailed())
                .add("availableProcessors", Runtime.getRuntime().availableProcessors())
                .build());
    }

    private void startRecording(ServerRequest req, ServerResponse res) throws IOException {
        requireLoopback(req);
        RecordingControl.Outcome outcome = recordings.start();
        if (!outcome.changed()) {
            throw Problem.of(Status.CONFLICT_409, "Already recording", "A recording is already running: " + outcome.file())
                    .with("file", outcome.file());
        }
        // The file's name only: the folder's absolute path is the server's business.
        res.status(Status.CREATED_201).send(JSON.createObjectBuilder()
                .add("recording", "started")
                .add("file", outcome.file())
                .add("folder", recordings.folderShown())
                .add("profile", RecordingControl.PROFILE)
                .add("maxCount", recordings.maxCount())
                .add("maxBytes", recordings.maxBytes())
                .add("removed", outcome.removed())
                .build());
    }

    private void stopRecording(ServerRequest req, ServerResponse res) throws IOException {
        requireLoopback(req);
        RecordingControl.Outcome outcome = recordings.stop();
        if (!outcome.changed()) {
            throw Problem.of(Status.CONFLICT_409, "Not recording", "No recording is running; POST /observe/recording/start first.");
        }
        res.send(JSON.createObjectBuilder()
                .add("recording", "stopped")
                .add("file", outcome.file())
                .add("folder", recordings.folderShown())
                .add("bytes", outcome.bytes())
                .add("removed", outcome.removed())
                .add("read", "jfr print --events jdk.VirtualThreadPinned " + recordings.folderShown() + "/" + outcome.file())
                .build());
    }

    /** Whether a peer address is this machine's loopback (127.0.0.0/8 or ::1). */
    static boolean isLoopback(SocketAddress address) {
        return address instanceof InetSocketAddress peer && peer.getAddress() != null
                && peer.getAddress().isLoopbackAddress();
    }

    /** Routes that change the server's state answer only to a client on this machine. */
    private static void requireLoopback(ServerRequest req) {
        if (!isLoopback(req.remotePeer().address())) {
            throw Problem.of(Status.FORBIDDEN_403, "Loopback only", "Recording control answers only to clients on this machine.");
        }
    }
}
