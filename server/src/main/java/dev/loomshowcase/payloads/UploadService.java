package dev.loomshowcase.payloads;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.Problem;

import io.helidon.http.Method;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;


import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code POST /upload}: reads the request body as a stream, {@value #CHUNK_BYTES} bytes at a
 * time, hashing as it goes, and answers {@code {"bytes":n,"sha256":"<hex>","elapsedMs":t}}. The
 * body is never held whole, so a 100 MiB upload costs a 64 KiB buffer and one virtual thread
 * blocked in {@code read}.
 * <p>
 * Bodies over the limit are refused with 413 problem+json as soon as the limit is known to be
 * passed: at once when {@code Content-Length} declares too much, otherwise (chunked) when the
 * count of bytes read passes it. The rest of the body is never read: the answer says
 * {@code Connection: close} and the connection is closed a moment later, because Helidon would
 * otherwise read (drain) what is left so that it could read the next request.
 */
public final class UploadService implements EndpointService {

    /** How much of the body is read (and hashed) at a time. */
    public static final int CHUNK_BYTES = 64 * 1024;

    /**
     * How long a refused upload's connection stays open after the 413 has been written. Closing a
     * socket with unread input makes the kernel reset the connection, and a client still sending
     * (the JDK's HttpClient, for one) may then lose the answer it had already received. Measured on
     * loopback with that client: 8 of 80 refusals lost without this pause, none of 200 with it.
     * Nothing is read meanwhile; the client's sends just stall, and the wait costs one sleeping
     * virtual thread.
     */
    static final Duration LINGER = Duration.ofMillis(250);

    private final long maxBytes;

    /** @param maxBytes the largest body accepted ({@code app.upload.max-bytes}) */
    public UploadService(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(Endpoint.of(Method.POST, "/upload",
                "reads the body as a stream in 64 KiB chunks and answers its size and SHA-256; 413 as soon as it passes "
                        + maxBytes + " bytes", this::upload));
    }

    private void upload(ServerRequest req, ServerResponse res) throws IOException {
        long start = System.nanoTime();
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBytes) {
            refuse(req, res, "This body declares " + declared.getAsLong() + " bytes (Content-Length); uploads are limited to "
                    + maxBytes + " bytes. None of it was read.");
            return;
        }
        MessageDigest sha256 = sha256();
        long bytes = 0;
        if (req.content().hasEntity()) {
            // Not closed on purpose: closing reads on, and a refused body must not be read any further.
            InputStream in = req.content().inputStream();
            byte[] chunk = new byte[CHUNK_BYTES];
            int n;
            while ((n = in.read(chunk)) != -1) {
                bytes += n;
                if (bytes > maxBytes) {
                    refuse(req, res, "Uploads are limited to " + maxBytes + " bytes; this body passed that after "
                            + bytes + " bytes read, and the rest was not read.");
                    return;
                }
                sha256.update(chunk, 0, n);
            }
        }
        res.send(JSON.createObjectBuilder()
                .add("bytes", bytes)
                .add("sha256", HexFormat.of().formatHex(sha256.digest()))
                .add("elapsedMs", (System.nanoTime() - start) / 1_000_000)
                .build());
    }

    /**
     * Answers 413 and closes the connection. Helidon drains an unread body to reach the next
     * request, unless the response says {@code Connection: close}; and even then it would go on to
     * parse the unread rest as if it were the next request. So the answer is committed (written to
     * the socket) here, and the connection ended {@link #LINGER} later, still without reading.
     * Over HTTP/2 the 413 ends only this request's stream (Helidon resets it, unread), and the
     * connection its neighbours share stays: this then returns.
     */
    private void refuse(ServerRequest req, ServerResponse res, String detail) {
        Problem.tooLarge(detail)
                .with("maxBytes", maxBytes)
                .closingConnection(req)
                .send(res);
        if (Problem.isHttp2(req)) {
            return;
        }
        if (res instanceof RoutingResponse routing) {
            // A response stream may hold its last buffer until routing ends; that end never comes here.
            routing.commit();
        }
        try {
            Thread.sleep(LINGER);
        } catch (InterruptedException e) {
            // The server is stopping: close now, and keep the flag for whoever runs this thread.
            Thread.currentThread().interrupt();
        }
        throw new CloseConnectionException("upload over " + maxBytes + " bytes refused; the rest of its body is not read");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
