package dev.loomshowcase.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.config.Config;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.http2.Http2ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * The main socket's one connection selector: HTTP/2 cleartext for a client that opens with
 * HTTP/2's connection preface (prior knowledge, RFC 9113 §3.4: {@code curl --http2-prior-knowledge},
 * Helidon's HTTP/2 client), HTTP/1.1 for every other. There is no upgrade from HTTP/1.1 to h2c:
 * the HTTP/1.1 side has no upgraders, so the JDK HttpClient's {@code Upgrade: h2c} stays HTTP/1.1.
 * The upstream mock's socket takes it HTTP/1.1 only ({@link #http1Only}), for the idle accounting below.
 *
 * <p>Hand-written, because Helidon 4.5.0 sorts connections by their first bytes only when a
 * socket has two selectors, and then it waits for those bytes before it tracks the connection:
 * a client that connects and sends nothing would hold it past {@code idle-connection-timeout}
 * forever. One selector that takes every connection at once, and reads the first bytes inside
 * the connection Helidon tracks, keeps that timeout for both protocols.
 *
 * <p>A connection with a request still running is not idle, and its idle time counts from its
 * last answer. Helidon 4.5.0 counts both protocols' idle time from the last request received:
 * an h2 connection past the timeout was closed with its streams still running (100,000
 * one-second sleeps on a busy machine lost answers so), and an HTTP/1.1 connection whose
 * request ran past it was closed right after the answer, under the client's next request.
 * Helidon's clock for it is also coarse ({@code DateTime.timestamp()}, updated once a second),
 * so a fresh connection could look a second old. {@link #requestsFilter()} counts each
 * connection's requests in flight and keeps a precise clock of its own; a connection is idle
 * only when no request runs and both clocks say so.
 */
public final class PriorKnowledgeSelector implements ServerConnectionSelector {

    /** What an HTTP/2 client with prior knowledge sends first. */
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerConnectionSelector http1;
    private final ServerConnectionSelector http2;
    /** Requests in flight on each connection, by its socket id. */
    private final Map<String, Requests> requests = new ConcurrentHashMap<>();

    private PriorKnowledgeSelector(ServerConnectionSelector http1, ServerConnectionSelector http2) {
        this.http1 = http1;
        this.http2 = http2;
    }

    /**
     * @param http1  the socket's HTTP/1.1 (the showcase's, with its header deadline)
     * @param config Helidon's HTTP/2 keys ({@code Http2Config}: max-concurrent-streams, ...)
     */
    public static PriorKnowledgeSelector create(ServerConnectionSelector http1, Config config) {
        return new PriorKnowledgeSelector(http1,
                Http2ConnectionSelector.builder().http2Config(Http2Config.create(config)).build());
    }

    /**
     * HTTP/1.1 only, with the same idle accounting (the upstream mock's socket): a preface goes to
     * HTTP/1.1 too, which answers a first line that is not HTTP/1.1 with a 400.
     */
    public static PriorKnowledgeSelector http1Only(ServerConnectionSelector http1) {
        return new PriorKnowledgeSelector(http1, null);
    }

    /** Whether these first bytes are HTTP/2's preface (true), not it (false), or too few to tell (null). */
    static Boolean isPreface(BufferData data) {
        int compared = Math.min(data.available(), PREFACE.length);
        for (int i = 0; i < compared; i++) {
            if ((byte) data.read() != PREFACE[i]) {
                return false;
            }
        }
        return compared == PREFACE.length ? true : null;
    }

    /**
     * The filter that counts the requests in flight on each connection, so that one with a
     * request running is never closed as idle. Registered on the routing of every socket this selector serves.
     */
    public Filter requestsFilter() {
        return (chain, req, res) -> {
            Requests running = requests.get(req.socketId());
            if (running == null) {
                chain.proceed();
                return;
            }
            running.started();
            try {
                chain.proceed();
            } finally {
                running.ended();
            }
        };
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        return Support.SUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        Set<String> protocols = new LinkedHashSet<>(http1.supportedApplicationProtocols());
        if (http2 != null) {
            protocols.addAll(http2.supportedApplicationProtocols());
        }
        return protocols;
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return new Sniffing(ctx);
    }

    /** A connection whose protocol its first bytes decide; until then, an idle one like any other. */
    private final class Sniffing implements ServerConnection, InterruptableTask<Void> {
        private final ConnectionContext ctx;
        /** Its requests, and its quiet since it opened: the idle time until the first bytes decide. */
        private final Requests inFlight = new Requests();
        private volatile ServerConnection chosen;
        private volatile Thread thread;
        private volatile boolean closing;

        Sniffing(ConnectionContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            thread = Thread.currentThread();
            requests.put(ctx.childSocketId(), inFlight);
            try {
                ServerConnection connection;
                try {
                    connection = choose(ctx.dataReader());
                } catch (RuntimeException e) {
                    // No bytes before the client closed, or the idle timeout interrupted the wait for them.
                    throw new CloseConnectionException("no request before the connection ended", e);
                }
                inFlight.touch(); // its first bytes: quiet counts afresh from them, as before any request
                chosen = connection;
                if (closing) {
                    connection.close(true);
                }
                connection.handle(limit);
            } finally {
                requests.remove(ctx.childSocketId(), inFlight);
            }
        }

        private ServerConnection choose(DataReader reader) {
            reader.ensureAvailable();
            while (true) {
                Boolean preface = isPreface(reader.getBuffer(reader.available()));
                if (preface != null) {
                    return preface && http2 != null ? http2.connection(ctx) : http1.connection(ctx);
                }
                reader.getBuffer(reader.available() + 1); // waits for at least one more byte
            }
        }

        @Override
        public Duration idleTime() {
            // Idle only when no request runs and both Helidon's clock and ours say so.
            Duration ours = inFlight.quietFor();
            ServerConnection connection = chosen;
            Duration helidons = connection != null ? connection.idleTime() : ours;
            return ours.compareTo(helidons) < 0 ? ours : helidons;
        }

        @Override
        public void close(boolean interrupt) {
            closing = true;
            ServerConnection connection = chosen;
            if (connection != null) {
                connection.close(interrupt);
            } else if (thread != null) {
                thread.interrupt(); // ends the wait for the first bytes: the socket closes
            }
        }

        @Override
        public boolean canInterrupt() {
            ServerConnection connection = chosen;
            return connection == null || connection instanceof InterruptableTask<?> task && task.canInterrupt();
        }
    }

    /** One connection's requests in flight, and when it last began or ended one (precise, unlike Helidon's). */
    private static final class Requests {
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile long lastChangeNanos = System.nanoTime();

        void started() {
            inFlight.incrementAndGet();
            touch();
        }

        void ended() {
            touch();
            inFlight.decrementAndGet();
        }

        void touch() {
            lastChangeNanos = System.nanoTime();
        }

        /** Zero while a request runs; else the time since the last one began or ended (or the first bytes came, or the connection opened). */
        Duration quietFor() {
            return inFlight.get() > 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - lastChangeNanos);
        }
    }
}
