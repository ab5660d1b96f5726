package dev.loomshowcase.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.common.buffers.BufferData;
import io.helidon.config.Config;
import io.helidon.http.Headers;
import io.helidon.http.HttpException;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * How long a client may take to send a request, on both sockets: its headers must be complete
 * within {@code app.read-deadlines.headers} of its request line, and every read of its body
 * may wait at most {@code app.read-deadlines.body-idle} for more bytes. Past either the
 * connection is closed, so a slow or stalled sender (slowloris) holds a connection and its
 * thread for seconds, not forever. The wait for the request line itself is Helidon's
 * {@code idle-connection-timeout}, which interrupts a connection waiting for one.
 *
 * <p>Hand-written: Helidon 4.5.0 sets no read timeout on server connections
 * ({@code connection-options.read-timeout} is used by clients only) and ends an idle connection
 * only while it waits for a request line. A watchdog thread interrupts a reader whose deadline
 * passed; interrupting a thread blocked on a socket channel closes the channel.
 *
 * <p>The body reads also turn a body that cannot be read to its end (malformed chunks, a client
 * that stopped sending before its {@code Content-Length}) into a 400 that closes the
 * connection: Helidon 4.5.0 raises those as errors without a client status, which would be 500s.
 */
public final class ReadDeadlines implements AutoCloseable {

    private static final int READING = 0;
    private static final int DONE = 1;
    private static final int FIRING = 2;
    private static final int FIRED = 3;

    private final Duration headers;
    private final Duration bodyIdle;
    /** The threads now inside a watched read, each with its deadline. */
    private final Map<Thread, Watch> watched = new ConcurrentHashMap<>();
    private final Thread watchdog;

    /** One watched read: its deadline, and whether the watchdog ended it. */
    private static final class Watch {
        final long deadlineNanos;
        final AtomicInteger state = new AtomicInteger(READING);

        Watch(Duration within) {
            deadlineNanos = System.nanoTime() + within.toNanos();
        }
    }

    public ReadDeadlines(Duration headers, Duration bodyIdle) {
        if (headers.isNegative() || headers.isZero() || bodyIdle.isNegative() || bodyIdle.isZero()) {
            throw new IllegalArgumentException("app.read-deadlines.* must be positive durations, got headers="
                    + headers + ", body-idle=" + bodyIdle);
        }
        this.headers = headers;
        this.bodyIdle = bodyIdle;
        // A tenth of the shorter deadline: a reader is ended at most 10% late (between 10 ms and 1 s).
        long tickMs = Math.clamp(Math.min(headers.toMillis(), bodyIdle.toMillis()) / 10, 10, 1_000);
        this.watchdog = Thread.ofPlatform().daemon().name("read-deadlines").start(() -> watch(tickMs));
    }

    /** From {@code app.read-deadlines}: {@code headers} and {@code body-idle}, ISO-8601 durations. */
    public static ReadDeadlines create(Config config) {
        return new ReadDeadlines(config.get("headers").as(Duration.class).get(),
                config.get("body-idle").as(Duration.class).get());
    }

    /**
     * HTTP/1.1 for a socket, with the header deadline as a receive listener; the socket takes it in
     * place of the HTTP/1.1 Helidon would discover ({@code protocols-discover-services: false}).
     * It takes every connection: Helidon's own connection answers a first line that is not HTTP/1.1
     * with a 400 (the main socket puts {@link PriorKnowledgeSelector} in front of it for HTTP/2). Helidon's test harness adds
     * a socket's selectors twice; two selectors that sort connections by their first line would
     * close such a connection without a word instead. Built without upgraders, it never switches a
     * connection to h2c on an {@code Upgrade} header.
     */
    public ServerConnectionSelector http1() {
        Http1ConnectionSelector http1 = Http1ConnectionSelector.builder()
                .config(Http1Config.builder().addReceiveListener(new HeaderDeadline()).build())
                .build();
        return new ServerConnectionSelector() {
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
                return http1.supportedApplicationProtocols();
            }

            @Override
            public ServerConnection connection(ConnectionContext ctx) {
                return http1.connection(ctx);
            }
        };
    }

    /** The filter that puts the body deadline on every request body; registered before any filter reads one. */
    public Filter bodyFilter() {
        return this::filter;
    }

    private void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        req.streamFilter(in -> new BodyStream(in, req));
        chain.proceed();
    }

    private Watch start(Duration within) {
        Watch watch = new Watch(within);
        watched.put(Thread.currentThread(), watch);
        return watch;
    }

    /** Ends a watched read; true when the watchdog ended it first (the thread is then no longer interrupted). */
    private boolean expired(Watch watch) {
        watched.remove(Thread.currentThread(), watch);
        if (watch.state.compareAndSet(READING, DONE)) {
            return false;
        }
        while (watch.state.get() != FIRED) {
            Thread.onSpinWait();
        }
        Thread.interrupted();
        return true;
    }

    private void watch(long tickMs) {
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            watched.forEach((thread, watch) -> {
                if (now - watch.deadlineNanos >= 0 && watch.state.compareAndSet(READING, FIRING)) {
                    watched.remove(thread, watch);
                    thread.interrupt();
                    watch.state.set(FIRED);
                }
            });
            try {
                Thread.sleep(tickMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        watchdog.interrupt();
    }

    /** From the end of the request line to the end of the headers. */
    private final class HeaderDeadline implements Http1ConnectionListener {

        /** The connection thread's own watch: it ends with the thread, even when its headers never come. */
        private final ThreadLocal<Watch> open = new ThreadLocal<>();

        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            open.set(start(headers));
        }

        @Override
        public void headers(ConnectionContext ctx, Headers requestHeaders) {
            Watch watch = open.get();
            open.remove();
            if (watch != null && expired(watch)) {
                throw new CloseConnectionException("the headers took longer than " + headers);
            }
        }
    }

    /** A request body whose every read may wait at most {@code bodyIdle}. */
    private final class BodyStream extends FilterInputStream {

        private final ServerRequest req;

        BodyStream(InputStream in, ServerRequest req) {
            super(in);
            this.req = req;
        }

        @Override
        public int read() throws IOException {
            Watch watch = start(bodyIdle);
            int read;
            try {
                read = in.read();
            } catch (IOException | RuntimeException e) {
                throw failed(watch, e);
            }
            ended(watch);
            return read;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            Watch watch = start(bodyIdle);
            int read;
            try {
                read = in.read(bytes, offset, length);
            } catch (IOException | RuntimeException e) {
                throw failed(watch, e);
            }
            ended(watch);
            return read;
        }

        private void ended(Watch watch) {
            if (expired(watch)) {
                throw new CloseConnectionException("no request body bytes for " + bodyIdle);
            }
        }

        private RuntimeException failed(Watch watch, Exception e) {
            if (expired(watch)) {
                return new CloseConnectionException("no request body bytes for " + bodyIdle, e);
            }
            // Helidon's own refusals with a client status (e.g. 413 past max-payload-size) stay as they are.
            if (e instanceof HttpException http && http.status().code() < 500) {
                return http;
            }
            if (e instanceof RequestException request && request.status().code() < 500) {
                return request;
            }
            return Problem.badRequest("The request body could not be read to its end: it ended before its "
                            + "Content-Length, or its chunked framing is malformed.")
                    .closingConnection(req);
        }
    }
}
