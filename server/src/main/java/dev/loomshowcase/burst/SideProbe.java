package dev.loomshowcase.burst;

import java.io.IOException;
import java.time.Duration;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.json.JsonObjectBuilder;
import org.HdrHistogram.Histogram;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * A trivial GET (by default {@code /whoami}) every 50 ms while a run is going, on a connection
 * of its own. The run's own latencies say how the loaded route fares; the probe says what the
 * load does to everybody else: CPU-bound work on virtual threads holds the carriers and a
 * {@code /whoami} waits a second for one, pinned waits do the same, while the same work on a
 * platform pool leaves the probe a millisecond away.
 *
 * <p>The probe runs on a platform thread. When the server runs in the same JVM (the tests),
 * a virtual-thread probe would also wait for a carrier on the client side; on a platform thread
 * the only waiting it measures is the server's.
 *
 * <p>One probe at a time, so a probe stuck for a second also skips the 19 that were due in that
 * second. Its latency is recorded with that correction
 * ({@link Histogram#recordValueWithExpectedInterval}): a 1 s answer adds the 950, 900, ... ms
 * that the skipped probes would have waited, so the percentiles are those of a probe sent every
 * 50 ms regardless. A probe still waiting when the run ends is recorded with the time it had
 * waited so far, a lower bound.
 */
public final class SideProbe implements AutoCloseable {

    /** How often the probe asks. */
    public static final Duration EVERY = Duration.ofMillis(50);
    private static final long EVERY_NANOS = EVERY.toNanos();

    /**
     * What the probe saw.
     *
     * @param url     what it asked for
     * @param latency its latencies, corrected for the probes it could not send
     * @param probes  how many it sent
     * @param errors  its failures by kind, as a run counts them
     */
    public record Summary(String url, Latency latency, long probes, SortedMap<String, Long> errors) {

        public JsonObjectBuilder json() {
            JsonObjectBuilder errorsJson = JSON.createObjectBuilder();
            errors.forEach(errorsJson::add);
            return latency.json().add("url", url).add("probes", probes).add("errors", errorsJson);
        }
    }

    private final Target target;
    private final long deadlineNanos;
    private final byte[] request;
    private final Histogram histogram = Latency.histogram();
    private final SortedMap<String, Long> errors = new TreeMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;
    private long probes;

    private SideProbe(Target target, long deadlineNanos) {
        this.target = target;
        this.deadlineNanos = deadlineNanos;
        this.request = target == null ? null : target.request(true);
        this.thread = target == null ? null
                : Thread.ofPlatform().name("side-probe").daemon().start(this::loop);
    }

    /**
     * Starts probing {@code target} until {@link #stop()} or the deadline, whichever is first.
     * With a null target nothing is probed, and {@link #stop()} returns null.
     */
    public static SideProbe start(Target target, long deadlineNanos) {
        return new SideProbe(target, deadlineNanos);
    }

    private void loop() {
        long next = System.nanoTime();
        while (running && System.nanoTime() < deadlineNanos) {
            for (long wait = next - System.nanoTime(); wait > 0 && running; wait = next - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            if (!running) {
                break;
            }
            long sent = System.nanoTime();
            String phase = "connect";
            try {
                Connection used = connection;
                if (used == null) {
                    used = Connection.open(target.address(), msLeft(deadlineNanos));
                    connection = used;
                    if (!running) {
                        break;
                    }
                    sent = System.nanoTime(); // the connect is not what the probe measures
                }
                used.timeout(msLeft(deadlineNanos));
                phase = "send";
                probes++;
                used.send(request);
                phase = "receive";
                Connection.Response response = used.receive(false);
                record(System.nanoTime() - sent);
                if (response.status() / 100 != 2) {
                    errors.merge(String.valueOf(response.status()), 1L, Long::sum);
                }
                if (!response.keepAlive()) {
                    drop();
                }
            } catch (IOException | RuntimeException e) {
                drop();
                if (!running) {
                    if (!phase.equals("connect")) {
                        record(System.nanoTime() - sent); // cut short by stop(): a lower bound
                    }
                    break;
                }
                errors.merge(phase + ":" + e.getClass().getSimpleName(), 1L, Long::sum);
            }
            next += EVERY_NANOS;
            long now = System.nanoTime();
            if (next < now) {
                next = now; // behind: the skipped probes are accounted for by the correction
            }
        }
        drop();
    }

    private void record(long nanos) {
        histogram.recordValueWithExpectedInterval(Latency.micros(nanos), Latency.micros(EVERY_NANOS));
    }

    private void drop() {
        Connection used = connection;
        connection = null;
        if (used != null) {
            used.close();
        }
    }

    private static int msLeft(long deadlineNanos) {
        return (int) Math.clamp(TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()), 1, Integer.MAX_VALUE);
    }

    /** Stops probing (a probe in flight is cut short) and returns what it saw; null without a target. */
    public Summary stop() throws InterruptedException {
        if (thread == null) {
            return null;
        }
        running = false;
        Connection used = connection;
        if (used != null) {
            used.close(); // ends a blocked read now rather than at the deadline
        }
        LockSupport.unpark(thread);
        if (!thread.join(Duration.ofSeconds(5))) {
            throw new IllegalStateException("the side probe did not stop");
        }
        // join() orders the probe thread's writes before these reads.
        return new Summary(target.url(), Latency.of(histogram), probes, new TreeMap<>(errors));
    }

    @Override
    public void close() throws InterruptedException {
        if (thread != null && thread.isAlive()) {
            stop();
        }
    }
}
