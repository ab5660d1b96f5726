package dev.loomshowcase.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.Problem;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;


import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * An S3-like object store in memory: {@code PUT /s3/{bucket}/{key}} stores the body,
 * {@code GET /s3/{bucket}/{key}} returns it, {@code DELETE} frees it. Each object and the whole
 * store are size-capped (413 and 507), and the body is read in chunks so an oversized upload is
 * refused as soon as it passes the cap, not after it has all arrived. Objects come back as
 * {@code application/octet-stream} attachments with {@code nosniff}, whatever type they were sent
 * with: served as their own {@code text/html}, a stored page would run its script in this
 * socket's origin (stored XSS).
 */
public final class ObjectStoreMock implements EndpointService {

    /** Bucket names the store accepts; public so callers can refuse a bad name before they upload. */
    public static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** Object keys the store accepts. */
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    /** The browser must not guess a type from the bytes (and so run a stored page as HTML). */
    private static final Header NO_SNIFF = HeaderValues.X_CONTENT_TYPE_OPTIONS_NOSNIFF;

    private final long maxObjectBytes;
    private final long maxTotalBytes;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();

    /** From the {@code upstream.s3} node: {@code max-object-bytes}, {@code max-total-bytes}. */
    public static ObjectStoreMock create(Config config) {
        return new ObjectStoreMock(config.get("max-object-bytes").asLong().get(), config.get("max-total-bytes").asLong().get());
    }

    public ObjectStoreMock(long maxObjectBytes, long maxTotalBytes) {
        this.maxObjectBytes = maxObjectBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(Method.PUT, "/s3/{bucket}/{key}",
                        "stores the body: 413 as soon as it passes " + maxObjectBytes + " bytes, 507 when the store would "
                                + "hold more than " + maxTotalBytes + " bytes in all (DELETE frees room)", this::put),
                Endpoint.of(Method.GET, "/s3/{bucket}/{key}",
                        "returns a stored object as an application/octet-stream attachment, 404 if absent", this::get),
                Endpoint.of(Method.DELETE, "/s3/{bucket}/{key}",
                        "deletes a stored object and frees its bytes: 204, 404 if absent", this::delete));
    }

    private void put(ServerRequest req, ServerResponse res) throws IOException {
        res.header(NO_SNIFF);
        String name = objectName(req);
        byte[] bytes = readCapped(req);
        // Per key, atomically: two PUTs of one key cannot both count their bytes.
        objects.compute(name, (key, previous) -> {
            long growth = bytes.length - (previous == null ? 0 : previous.length);
            if (totalBytes.addAndGet(growth) > maxTotalBytes) {
                totalBytes.addAndGet(-growth);
                throw Problem.of(Status.INSUFFICIENT_STORAGE_507, "Store full",
                                "The object store holds at most " + maxTotalBytes + " bytes in all "
                                        + "(upstream.s3.max-total-bytes); DELETE objects to free room.")
                        .with("maxTotalBytes", maxTotalBytes);
            }
            return bytes;
        });
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/s3/" + name)
                .send(JSON.createObjectBuilder().add("bucket", req.path().pathParameters().get("bucket"))
                        .add("key", req.path().pathParameters().get("key"))
                        .add("size", bytes.length)
                        .build());
    }

    private void get(ServerRequest req, ServerResponse res) {
        res.header(NO_SNIFF);
        String name = objectName(req);
        byte[] object = objects.get(name);
        if (object == null) {
            throw Problem.notFound("No object " + name + ".");
        }
        res.headers().contentType(MediaTypes.APPLICATION_OCTET_STREAM);
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment");
        res.send(object);
    }

    private void delete(ServerRequest req, ServerResponse res) {
        res.header(NO_SNIFF);
        String name = objectName(req);
        byte[] removed = objects.remove(name);
        if (removed == null) {
            throw Problem.notFound("No object " + name + ".");
        }
        totalBytes.addAndGet(-removed.length);
        res.status(Status.NO_CONTENT_204).send();
    }

    private byte[] readCapped(ServerRequest req) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        try (InputStream in = req.content().inputStream()) {
            int n;
            while ((n = in.read(chunk)) != -1) {
                if (out.size() + n > maxObjectBytes) {
                    throw Problem.tooLarge("Objects are limited to " + maxObjectBytes + " bytes.")
                            .with("maxBytes", maxObjectBytes);
                }
                out.write(chunk, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static String objectName(ServerRequest req) {
        String bucket = req.path().pathParameters().get("bucket");
        String key = req.path().pathParameters().get("key");
        if (!BUCKET.matcher(bucket).matches()) {
            throw Problem.badRequest("Bucket names are 3-63 lowercase letters, digits, '.' and '-'.");
        }
        if (!KEY.matcher(key).matches()) {
            throw Problem.badRequest("Keys are 1-255 letters, digits, '.', '_' and '-'.");
        }
        return bucket + "/" + key;
    }
}
