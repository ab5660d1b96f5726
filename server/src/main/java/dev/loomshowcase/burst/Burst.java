package dev.loomshowcase.burst;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N requests at once: each on its own HTTP/1.1 connection and its own thread (virtual, or
 * platform with {@link Options#platformClients()}). All N connections are opened first and every
 * request leaves at one moment, t0, so the figures show how the server copes with N requests at
 * the same time, not how fast it accepts sockets.
 *
 * <p>The makespan runs from t0 to the last answer. Each request's latency runs from t0 too:
 * t0 is when every one of them was due to leave, so a request that its client thread could not
 * send at once (the machine is busy) has waited as long as its latency says, as in
 * the load generator's open loop (loadgen module). A request with no answer {@code timeout} after t0 fails as
 * {@code receive:SocketTimeoutException}; the run ends when every request has ended, or a second
 * after that, counting what is still running then as {@code unfinished}.
 *
 * <p>{@link Options#progress()} hears of t0 and of each request as it ends, for a live view.
 */
public final class Burst {

    /** The largest burst: each request holds a connection, i.e. a file here and one at the server. */
    public static final int MAX_N = 20_000;

    private Burst() {
    }

    /**
     * Runs one burst of {@code n} GETs of {@code options.target()}, with the side probe and the
     * server statistics of {@code options} watching.
     *
     * @throws IllegalArgumentException when {@code n} is out of 1..{@link #MAX_N}
     * @throws IllegalStateException    when the open-file limit cannot hold {@code n} connections
     */
    public static Measurement run(Options options, int n) throws InterruptedException {
        if (n < 1 || n > MAX_N) {
            throw new IllegalArgumentException("a burst is 1 to " + MAX_N + " requests, not " + n);
        }
        OpenFiles.current().require(n + (options.probe() == null ? 0 : 1), "a burst of " + n);
        OpenFiles.requireAtServer(options.serverPid(), n, "a burst of " + n);
        Instant startedAt = Instant.now();
        long timeoutNanos = options.timeout().toNanos();
        long connectDeadline = System.nanoTime() + timeoutNanos;
        // Overall: connecting, then the requests, then a little for closing; the probe and the
        // sampler stop there even if this thread never came back.
        long hardDeadline = connectDeadline + timeoutNanos + TimeUnit.SECONDS.toNanos(6);
        startPoller();
        Tally tally = new Tally();
        InFlight inFlight = new InFlight();
        AtomicInteger connections = new AtomicInteger();
        CountDownLatch connected = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        long[] t0 = new long[1]; // written before go opens, read after: the latch orders them
        byte[] request = options.target().request(false);
        Progress progress = options.progress();

        try (ServerStats stats = ServerStats.start(options.serverPid(), options.observeBase(), hardDeadline);
             SideProbe probe = SideProbe.start(options.probe(), hardDeadline)) {
            for (int i = 0; i < n; i++) {
                Exchange exchange = inFlight.start();
                Thread.Builder client = options.platformClients() ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
                client.name("burst-" + i).start(() -> {
                    Connection connection = null;
                    String phase = "connect";
                    try {
                        try {
                            connection = Connection.open(options.target().address(), msLeft(connectDeadline));
                            connections.incrementAndGet();
                        } finally {
                            connected.countDown(); // failed connects too: t0 waits for no one in vain
                        }
                        if (!exchange.use(connection)) {
                            return;
                        }
                        phase = "wait";
                        if (!go.await(timeoutNanos * 2, TimeUnit.NANOSECONDS)) {
                            throw new IllegalStateException("the burst never started");
                        }
                        long start = t0[0];
                        connection.timeout(msLeft(start + timeoutNanos));
                        phase = "send";
                        connection.send(request);
                        phase = "receive";
                        Connection.Response response = connection.receive(false);
                        long end = System.nanoTime();
                        if (exchange.finish()) {
                            tally.answered(response.status(), end - start, end);
                            progress.ended(end - start, response.status() / 100 != 2);
                        }
                    } catch (Exception | Error e) { // Error too: without free fds even the JDK's poller fails
                        if (exchange.finish()) {
                            tally.failed(phase, e);
                            // t0 is only read once go has opened (send, receive): the latch orders it.
                            boolean afterT0 = phase.equals("send") || phase.equals("receive");
                            progress.ended(afterT0 ? System.nanoTime() - t0[0] : 0, true);
                        }
                    } finally {
                        if (connection != null) {
                            connection.close();
                        }
                        inFlight.end(exchange);
                    }
                });
            }
            connected.await(Math.max(0, connectDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            t0[0] = System.nanoTime();
            progress.started(t0[0]);
            go.countDown();
            // Each request's own read timeout ends it first (as receive:SocketTimeoutException);
            // the run's deadline, a second later, catches whatever is stuck anywhere else.
            long deadline = t0[0] + timeoutNanos + TimeUnit.SECONDS.toNanos(1);
            if (!inFlight.awaitEmpty(deadline)) {
                tally.failed("unfinished", inFlight.abandonAll(),
                        "still running a second past the timeout");
                inFlight.awaitEmpty(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
            }
            SideProbe.Summary probed = probe.stop();
            ServerStats.Usage usage = stats.stop();
            Long last = tally.lastAnswerNanos();
            return new Measurement("burst", options, n, null, null, startedAt,
                    last == null ? null : (last - t0[0]) / 1e6, tally.latency(), tally.errors(), tally.examples(),
                    n, tally.answered(), null, connections.get(), probed, usage);
        }
    }

    /**
     * Starts the JDK's socket poller (its epoll file descriptors) while descriptors are still
     * free. Started lazily by the first blocking read of a virtual thread, it fails with
     * NoClassDefFoundError once the burst's sockets have taken them all.
     */
    public static void startPoller() throws InterruptedException {
        Thread.ofVirtual().start(() -> {
            try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                listener.setSoTimeout(1); // a timed accept on a virtual thread parks in the poller
                listener.accept();
            } catch (IOException expected) {
                // the timeout: the poller is running now
            }
        }).join();
    }

    /** Milliseconds left before a deadline, at least 1 (0 would mean "no timeout" to a socket). */
    public static int msLeft(long deadlineNanos) {
        return (int) Math.clamp(TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()), 1, Integer.MAX_VALUE);
    }
}
