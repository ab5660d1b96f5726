package dev.loomshowcase.loadgen;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.loomshowcase.burst.Burst;
import dev.loomshowcase.burst.Connection;
import dev.loomshowcase.burst.Measurement;
import dev.loomshowcase.burst.OpenFiles;
import dev.loomshowcase.burst.Options;
import dev.loomshowcase.burst.ServerStats;
import dev.loomshowcase.burst.SideProbe;
import dev.loomshowcase.burst.Tally;

/**
 * The most a server answers: {@code c} keep-alive connections, each sending its next request
 * the moment the last answer arrives, for a fixed time. This is what {@code wrk -c C -d D}
 * measures, so the two can be held against each other (compare/run does, on the trivial
 * endpoint).
 *
 * <p>Use it for requests per second only. Its latencies run from each request's actual send,
 * and a closed loop sends nothing while the server stalls, so they leave out the waits users
 * would have had ("coordinated omission", see {@link OpenLoop}); for latency under load, use an
 * open loop or a {@link RateSweep}.
 *
 * <p>Each connection has its own platform thread and its own {@link Tally}, merged at the end: a
 * thread that does nothing but wait on one socket blocks in the kernel directly (a virtual
 * thread would go through the JDK's poller on every answer), and no lock is shared between
 * connections at tens of thousands of answers a second. All connections are opened before t0.
 * A connection that fails is counted and opened again; one that cannot be opened again ends.
 */
public final class ClosedLoop {

    /** The most connections: each is a platform thread here and a file on both sides. */
    public static final int MAX_CONNECTIONS = 1_000;

    private ClosedLoop() {
    }

    /**
     * Keeps {@code connections} requests in flight for {@code duration}, with the side probe and
     * the server statistics of {@code options} watching.
     *
     * @throws IllegalArgumentException when the connections or the duration are out of bounds
     */
    public static Measurement run(Options options, int connections, Duration duration) throws InterruptedException {
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("a closed loop takes 1 to " + MAX_CONNECTIONS + " connections, not "
                    + connections);
        }
        if (duration.toMillis() < 1 || duration.compareTo(OpenLoop.MAX_DURATION) > 0) {
            throw new IllegalArgumentException("the duration must be between 1 ms and "
                    + OpenLoop.MAX_DURATION.toSeconds() + " s");
        }
        OpenFiles.current().require(connections + (options.probe() == null ? 0 : 1), "a closed loop of " + connections);
        Instant startedAt = Instant.now();
        long timeoutNanos = options.timeout().toNanos();
        long connectDeadline = System.nanoTime() + timeoutNanos;
        long hardDeadline = connectDeadline + duration.toNanos() + timeoutNanos + TimeUnit.SECONDS.toNanos(6);
        byte[] request = options.target().request(true);
        CountDownLatch connected = new CountDownLatch(connections);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2]; // t0 and the end of sending; written before go opens
        List<Tally> tallies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();

        try (ServerStats stats = ServerStats.start(options.serverPid(), options.observeBase(), hardDeadline);
             SideProbe probe = SideProbe.start(options.probe(), hardDeadline)) {
            for (int i = 0; i < connections; i++) {
                Tally tally = new Tally();
                tallies.add(tally);
                threads.add(Thread.ofPlatform().daemon().name("closed-" + i).start(() -> {
                    Connection connection = null;
                    try {
                        connection = Connection.open(options.target().address(), Burst.msLeft(connectDeadline));
                    } catch (IOException e) {
                        tally.failed("connect", e);
                    } finally {
                        connected.countDown();
                    }
                    try {
                        if (connection != null && go.await(timeoutNanos * 2, TimeUnit.NANOSECONDS)) {
                            connection = loop(connection, options, request, window[1], tally);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        if (connection != null) {
                            connection.close();
                        }
                    }
                }));
            }
            connected.await(Math.max(0, connectDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            window[0] = System.nanoTime();
            window[1] = window[0] + duration.toNanos();
            go.countDown();
            // Each request's read timeout ends it; the join's limit, a second later, catches the rest.
            long deadline = window[1] + timeoutNanos + TimeUnit.SECONDS.toNanos(1);
            int unfinished = 0;
            for (Thread thread : threads) {
                if (!thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    unfinished++;
                }
            }
            Tally total = new Tally();
            tallies.forEach(total::add);
            total.failed("unfinished", unfinished, "a connection still busy a second past its request's timeout");
            SideProbe.Summary probed = probe.stop();
            ServerStats.Usage usage = stats.stop();
            Long last = total.lastAnswerNanos();
            double windowMs = Math.max(duration.toNanos(), last == null ? 0 : last - window[0]) / 1e6;
            long answered = total.answered();
            return new Measurement("closed", options, null, null, duration.toNanos() / 1e9, startedAt,
                    last == null ? null : (last - window[0]) / 1e6, total.latency(), total.errors(), total.examples(),
                    answered + total.unanswered(), answered, answered / (windowMs / 1_000), connections, probed, usage);
        }
    }

    /**
     * Request after request on one connection until {@code endNanos}; returns the connection
     * open at the end (a new one after a failure), or null when none could be opened.
     */
    private static Connection loop(Connection connection, Options options, byte[] request, long endNanos, Tally tally) {
        long timeoutNanos = options.timeout().toNanos();
        while (connection != null && System.nanoTime() < endNanos) {
            long sent = System.nanoTime();
            String phase = "send";
            try {
                connection.timeout(Burst.msLeft(sent + timeoutNanos));
                connection.send(request);
                phase = "receive";
                Connection.Response response = connection.receive(false);
                long end = System.nanoTime();
                tally.answered(response.status(), end - sent, end);
                if (response.keepAlive()) {
                    continue;
                }
            } catch (IOException e) {
                tally.failed(phase, e);
            }
            connection.close();
            connection = null;
            try {
                connection = Connection.open(options.target().address(), Burst.msLeft(sent + timeoutNanos));
            } catch (IOException e) {
                tally.failed("connect", e); // the server refuses more: this connection's loop ends
            }
        }
        return connection;
    }
}
