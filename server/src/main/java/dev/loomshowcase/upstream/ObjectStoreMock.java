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

import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;


import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * An S3-like object store in memory: {@code PUT /s3/{bucket}/{key}} stores the body,
 * {@code GET /s3/{bucket}/{key}} returns it. Each object and the whole store are size-capped,
 * and the body is read in chunks so an oversized upload is refused (413) as soon as it passes
 * the cap, not after it has all arrived.
 */
public final class ObjectStoreMock implements EndpointService {

    /** Bucket names the store accepts; public so callers can refuse a bad name before they upload. */
    public static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    /** Object keys the store accepts. */
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,255}");

    private final long maxObjectBytes;
    private final long maxTotalBytes;
    private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
    private final AtomicLong totalBytes = new AtomicLong();

    private record StoredObject(byte[] bytes, String contentType) {
    }

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
                        "stores the body (size-capped: 413 as soon as the cap is passed)", this::put),
                Endpoint.of(Method.GET, "/s3/{bucket}/{key}", "returns a stored object, 404 if absent", this::get));
    }

    private void put(ServerRequest req, ServerResponse res) throws IOException {
        String name = objectName(req);
        byte[] bytes = readCapped(req);
        String contentType = req.headers().contentType().map(HttpMediaType::text).orElse("application/octet-stream");
        StoredObject previous = objects.get(name);
        long growth = bytes.length - (previous == null ? 0 : previous.bytes().length);
        if (totalBytes.addAndGet(growth) > maxTotalBytes) {
            totalBytes.addAndGet(-growth);
            throw Problem.of(Status.create(507, "Insufficient Storage"), "Store full",
                    "The object store holds at most " + maxTotalBytes + " bytes in all.");
        }
        objects.put(name, new StoredObject(bytes, contentType));
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/s3/" + name)
                .send(JSON.createObjectBuilder().add("bucket", req.path().pathParameters().get("bucket"))
                        .add("key", req.path().pathParameters().get("key"))
                        .add("size", bytes.length)
                        .build());
    }

    private void get(ServerRequest req, ServerResponse res) {
        String name = objectName(req);
        StoredObject object = objects.get(name);
        if (object == null) {
            throw Problem.notFound("No object " + name + ".");
        }
        res.headers().contentType(HttpMediaType.create(object.contentType()));
        res.send(object.bytes());
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
