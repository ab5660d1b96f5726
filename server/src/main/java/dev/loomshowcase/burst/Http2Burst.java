package dev.loomshowcase.burst;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.helidon.webclient.http2.Http2Client;
import io.helidon.webclient.http2.Http2ClientProtocolConfig;

/**
 * N requests at once over HTTP/2 cleartext with prior knowledge (h2c), spread over a chosen
 * number of connections: request i goes as a stream of connection {@code i % connections}, each
 * on its own virtual thread. Where the HTTP/1.1 {@link Burst} needs a connection (a file, here and
 * at the server) per request and so stops near the open-file limit, this holds 100,000 in flight
 * over a few hundred connections.
 *
 * <p>The client is Helidon's own ({@code helidon-webclient-http2}): one client per connection,
 * each with a connection cache of its own, so each holds exactly one connection as long as its
 * share of the streams fits the server's {@code max-concurrent-streams}. Every connection is
 * opened first, with one {@code GET /whoami} that is not measured; then every request leaves at
 * one moment, t0, and the figures read as a {@link Burst}'s do (latency and makespan from t0).
 */
public final class Http2Burst {

    /** The largest HTTP/2 burst: each request is a virtual thread here and one at the server. */
    public static final int MAX_N = 200_000;
    /** The most connections; each is a file here and one at the server. */
    public static final int MAX_CONNECTIONS = 2_000;

    private Http2Burst() {
    }

    /**
     * Runs one burst of {@code n} GETs of {@code options.target()} over {@code connections}
     * h2c connections, with the side probe and the server statistics of {@code options} watching.
     *
     * @throws IllegalArgumentException when {@code n} or {@code connections} is out of bounds
     * @throws IllegalStateException    when the open-file limits cannot hold the connections
     */
    public static Measurement run(Options options, int n, int connections) throws InterruptedException {
        if (n < 1 || n > MAX_N) {
            throw new IllegalArgumentException("an HTTP/2 burst is 1 to " + MAX_N + " requests, not " + n);
        }
        if (connections < 1 || connections > Math.min(n, MAX_CONNECTIONS)) {
            throw new IllegalArgumentException("an HTTP/2 burst of " + n + " uses 1 to " + Math.min(n, MAX_CONNECTIONS)
                    + " connections, not " + connections);
        }
        int files = connections + (options.probe() == null ? 0 : 1);
        OpenFiles.current().require(files, "an HTTP/2 burst over " + connections + " connections");
        OpenFiles.requireAtServer(options.serverPid(), connections, "an HTTP/2 burst over " + connections + " connections");
        Instant startedAt = Instant.now();
        long timeoutNanos = options.timeout().toNanos();
        long connectDeadline = System.nanoTime() + timeoutNanos;
        long hardDeadline = connectDeadline + timeoutNanos + TimeUnit.SECONDS.toNanos(6);
        Tally tally = new Tally();
        InFlight inFlight = new InFlight();
        List<Http2Client> clients = new ArrayList<>(connections);
        for (int c = 0; c < connections; c++) {
            clients.add(client(options.timeout()));
        }
        try (ServerStats stats = ServerStats.start(options.serverPid(), options.observeBase(), hardDeadline);
             SideProbe probe = SideProbe.start(options.probe(), hardDeadline)) {
            int opened = open(clients, options.target(), connectDeadline);
            CountDownLatch go = new CountDownLatch(1);
            long[] t0 = new long[1]; // written before go opens, read after: the latch orders them
            URI uri = URI.create(options.target().url());
            Progress progress = options.progress();
            for (int i = 0; i < n; i++) {
                Exchange exchange = inFlight.start();
                Http2Client client = clients.get(i % connections);
                Thread.ofVirtual().name("h2-burst-" + i).start(() -> {
                    String phase = "wait";
                    try {
                        if (!go.await(timeoutNanos * 2, TimeUnit.NANOSECONDS)) {
                            throw new IllegalStateException("the burst never started");
                        }
                        long start = t0[0];
                        phase = "receive";
                        int status = client.get().uri(uri).request(String.class).status().code();
                        long end = System.nanoTime();
                        if (exchange.finish()) {
                            tally.answered(status, end - start, end);
                            progress.ended(end - start, status / 100 != 2);
                        }
                    } catch (Exception | Error e) {
                        if (exchange.finish()) {
                            tally.failed(phase, e);
                            progress.ended(phase.equals("receive") ? System.nanoTime() - t0[0] : 0, true);
                        }
                    } finally {
                        inFlight.end(exchange);
                    }
                });
            }
            t0[0] = System.nanoTime();
            progress.started(t0[0]);
            go.countDown();
            long deadline = t0[0] + timeoutNanos + TimeUnit.SECONDS.toNanos(1);
            if (!inFlight.awaitEmpty(deadline)) {
                tally.failed("unfinished", inFlight.abandonAll(), "still running a second past the timeout");
            }
            SideProbe.Summary probed = probe.stop();
            ServerStats.Usage usage = stats.stop();
            Long last = tally.lastAnswerNanos();
            return new Measurement("burst-h2", options, n, null, null, startedAt,
                    last == null ? null : (last - t0[0]) / 1e6, tally.latency(), tally.errors(), tally.examples(),
                    n, tally.answered(), null, opened, probed, usage);
        } finally {
            // Ends what an abandoned request still waits for: its connection goes.
            clients.forEach(Http2Client::closeResource);
        }
    }

    /** A client with a connection of its own, speaking HTTP/2 from its first byte (no upgrade). */
    private static Http2Client client(Duration timeout) {
        return Http2Client.builder()
                .shareConnectionCache(false)
                .readTimeout(timeout)
                .protocolConfig(Http2ClientProtocolConfig.builder().priorKnowledge(true).build())
                .build();
    }

    /**
     * Opens every client's connection with one unmeasured {@code GET /whoami}: the first alone
     * (it loads the client's classes; virtual threads that wait for another's class
     * initialiser pin their carriers), then the rest at once. Returns how many opened; a
     * connection that fails to open is the failure of each request meant for it.
     */
    private static int open(List<Http2Client> clients, Target target, long deadlineNanos)
            throws InterruptedException {
        URI whoami = URI.create(target.resolve("/whoami").url());
        CountDownLatch done = new CountDownLatch(clients.size());
        int[] opened = new int[1];
        for (Http2Client client : clients) {
            Thread opening = Thread.ofVirtual().start(() -> {
                try {
                    client.get().uri(whoami).request(String.class);
                    synchronized (opened) {
                        opened[0]++;
                    }
                } catch (RuntimeException e) {
                    // counted below, as the requests on it fail
                } finally {
                    done.countDown();
                }
            });
            if (client == clients.getFirst()) {
                opening.join(Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime())));
            }
        }
        done.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        synchronized (opened) {
            return opened[0];
        }
    }
}
