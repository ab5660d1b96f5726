package dev.loomshowcase.loadgen;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.loomshowcase.burst.Burst;
import dev.loomshowcase.burst.Connection;
import dev.loomshowcase.burst.Exchange;
import dev.loomshowcase.burst.InFlight;
import dev.loomshowcase.burst.Measurement;
import dev.loomshowcase.burst.OpenFiles;
import dev.loomshowcase.burst.Options;
import dev.loomshowcase.burst.ServerStats;
import dev.loomshowcase.burst.SideProbe;
import dev.loomshowcase.burst.Tally;

/**
 * A constant arrival rate: request i is due at t0 + i/R, leaves then whatever the earlier ones
 * are doing, each on its own virtual thread, and its latency is measured from that intended
 * time. A closed loop (send, wait for the answer, send the next) slows down with the server
 * and so never sends the requests that would have waited longest: a server that stalls for
 * 10 s shows one slow request instead of the hundreds that real users would have sent into the
 * stall ("coordinated omission"). Measuring from the intended time also charges the client's
 * own lateness (a busy machine, a slow connect) to the request, as a user would feel it.
 *
 * <p>Requests go over pooled keep-alive connections, grown on demand ({@link Pool}): real
 * clients keep connections, a new connection per request would measure connection set-up and
 * leave thousands of sockets in TIME_WAIT, and no request ever waits for a connection. The
 * first requests, and every request that finds all connections busy, pay for a connect, and
 * that is in their latency. A stale keep-alive connection (closed by the server while idle) is
 * replaced and the request retried once, on a new one.
 *
 * <p>Bounded: the send window is at most 600 s, the rate at most {@link #MAX_RATE}/s. A request
 * with no answer {@code timeout} after it was due fails as {@code receive:SocketTimeoutException}
 * (or {@code connect:...}); the run ends a second after the last request's timeout at the
 * latest, counting what is still running then as {@code unfinished}.
 */
public final class OpenLoop {

    /** The longest send window. */
    public static final Duration MAX_DURATION = Duration.ofSeconds(600);
    /** The highest rate, in requests per second. */
    public static final double MAX_RATE = 20_000;

    private OpenLoop() {
    }

    /**
     * Sends {@code rate} GETs a second for {@code duration}, with the side probe and the server
     * statistics of {@code options} watching.
     *
     * @throws IllegalArgumentException when the rate or the duration is out of bounds
     */
    public static Measurement run(Options options, double rate, Duration duration) throws InterruptedException {
        if (!(rate > 0 && rate <= MAX_RATE)) {
            throw new IllegalArgumentException("the rate must be above 0 and at most " + (long) MAX_RATE + "/s, not " + rate);
        }
        if (duration.toMillis() < 1 || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("the duration must be between 1 ms and " + MAX_DURATION.toSeconds() + " s");
        }
        double seconds = duration.toNanos() / 1e9;
        long planned = Math.max(1, Math.round(rate * seconds));
        double intervalNanos = 1e9 / rate;
        long timeoutNanos = options.timeout().toNanos();
        Instant startedAt = Instant.now();
        Tally tally = new Tally();
        InFlight inFlight = new InFlight();
        byte[] request = options.target().request(true);
        long free = OpenFiles.current().free() - (options.probe() == null ? 0 : 1);
        if (free < 1) {
            OpenFiles.current().require(1, "an open loop");
        }
        int maxConnections = (int) Math.min(free, Integer.MAX_VALUE);

        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10); // the pacer's thread is up by then
        long lastDue = t0 + (long) ((planned - 1) * intervalNanos);
        // Each request's own timeout ends it first; the run's deadline, a second after the last
        // one's, catches whatever is stuck anywhere else.
        long deadline = lastDue + timeoutNanos + TimeUnit.SECONDS.toNanos(1);
        long hardDeadline = deadline + TimeUnit.SECONDS.toNanos(5);
        AtomicLong unsent = new AtomicLong();
        try (Pool pool = new Pool(options.target(), maxConnections);
             ServerStats stats = ServerStats.start(options.serverPid(), options.observeBase(), hardDeadline);
             SideProbe probe = SideProbe.start(options.probe(), hardDeadline)) {
            // The server's CPU is counted from here, its first request about to be due, to the
            // last answer: not this run's set-up, nor its probe's and pinning's wind-down.
            stats.startCpuWindow();
            // The pacer is a platform thread: it must keep time even when every carrier is busy.
            Thread pacer = Thread.ofPlatform().name("open-loop-pacer").start(() -> {
                for (long i = 0; i < planned; i++) {
                    long due = t0 + (long) (i * intervalNanos);
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    if (System.nanoTime() > deadline) {
                        unsent.set(planned - i); // hopelessly behind: stop rather than run on
                        return;
                    }
                    Exchange exchange = inFlight.start();
                    Thread.ofVirtual().name("open-" + i).start(() -> send(options, request, pool, inFlight, exchange, due, tally));
                }
            });
            pacer.join(Duration.ofNanos(Math.max(0, hardDeadline - System.nanoTime())));
            if (!inFlight.awaitEmpty(deadline)) {
                tally.failed("unfinished", inFlight.abandonAll(),
                        "still running a second past the last request's timeout");
                inFlight.awaitEmpty(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
            }
            stats.endCpuWindow();
            tally.failed("unsent", unsent.get(), "the client fell more than the timeout behind its schedule");
            SideProbe.Summary probed = probe.stop();
            ServerStats.Usage usage = stats.stop();
            Long last = tally.lastAnswerNanos();
            Double makespanMs = last == null ? null : (last - t0) / 1e6;
            double windowMs = Math.max(duration.toNanos() / 1e6, makespanMs == null ? 0 : makespanMs);
            return new Measurement("open", options, null, rate, seconds, startedAt, makespanMs, tally.latency(),
                    tally.errors(), tally.examples(), planned, tally.answered(), tally.answered() / (windowMs / 1_000),
                    pool.peak(), probed, usage);
        }
    }

    /** One request, due at {@code due}; runs on its own virtual thread. */
    private static void send(Options options, byte[] request, Pool pool, InFlight inFlight, Exchange exchange, long due,
                             Tally tally) {
        long deadline = due + options.timeout().toNanos();
        Connection connection = null;
        String phase = "connect";
        try {
            connection = pool.take(Burst.msLeft(deadline));
            if (!exchange.use(connection)) {
                return;
            }
            Connection.Response response;
            try {
                phase = "send";
                connection.timeout(Burst.msLeft(deadline));
                connection.send(request);
                phase = "receive";
                response = connection.receive(false);
            } catch (IOException stale) {
                if (!connection.reused() || connection.readAnything() || stale instanceof SocketTimeoutException) {
                    throw stale;
                }
                // The server closed this idle connection: a GET may go again, on a new one.
                pool.discard(connection);
                connection = null;
                phase = "connect";
                connection = pool.open(Burst.msLeft(deadline));
                if (!exchange.use(connection)) {
                    return;
                }
                phase = "send";
                connection.timeout(Burst.msLeft(deadline));
                connection.send(request);
                phase = "receive";
                response = connection.receive(false);
            }
            long end = System.nanoTime();
            if (exchange.finish()) {
                tally.answered(response.status(), end - due, end);
                if (response.keepAlive()) {
                    pool.release(connection);
                    connection = null;
                }
            }
        } catch (Exception | Error e) {
            if (exchange.finish()) {
                tally.failed(phase, e);
            }
        } finally {
            if (connection != null) {
                pool.discard(connection);
            }
            // Last: a run that sees no request left closes the pool, and this one is back in it.
            inFlight.end(exchange);
        }
    }
}
