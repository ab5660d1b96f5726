package dev.loomshowcase.jobs;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;

import dev.loomshowcase.upstream.ObjectStoreMock;
import dev.loomshowcase.upstream.UpstreamClient;
import dev.loomshowcase.web.Parameter;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code s3-upload}: the tutorials' "upload a file to S3 in the background". It makes the
 * bytes (standing for a generated report), then PUTs them to the S3-like store of the upstream
 * mock with a plain blocking call: on a virtual thread the upload holds no thread while it
 * waits. The result carries the SHA-256, so anyone can check what the store holds.
 */
public final class S3UploadJob implements JobKind {

    static final Parameter BYTES = new Parameter("bytes", 0, 10L << 20, 1L << 20, "size of the object in bytes");
    private static final int CHUNK = 64 * 1024;

    private final UpstreamClient upstream;

    public S3UploadJob(UpstreamClient upstream) {
        this.upstream = upstream;
    }

    @Override
    public String name() {
        return "s3-upload";
    }

    @Override
    public boolean cpuBound() {
        return false;
    }

    @Override
    public String parameters() {
        return "bucket: 3-63 of a-z 0-9 . -, key: 1-255 of A-Z a-z 0-9 . _ -, bytes: 0..10485760 (default 1048576)";
    }

    @Override
    public JsonObject params(JsonObject given) {
        Params.allowOnly(given, name(), Set.of("bucket", "key", BYTES.name()));
        return JSON.createObjectBuilder()
                .add("bucket", Params.matching(given, "bucket", ObjectStoreMock.BUCKET,
                        "3-63 lowercase letters, digits, '.' and '-'"))
                .add("key", Params.matching(given, "key", ObjectStoreMock.KEY, "1-255 letters, digits, '.', '_' and '-'"))
                .add(BYTES.name(), Params.number(given, BYTES))
                .build();
    }

    @Override
    public JsonValue run(JsonObject params, Progress progress) throws Exception {
        String bucket = params.getString("bucket");
        String key = params.getString("key");
        int size = params.getInt(BYTES.name());
        byte[] bytes = new byte[size];
        SplittableRandom random = new SplittableRandom();
        for (int start = 0; start < size; start += CHUNK) {
            progress.check();
            int end = Math.min(size, start + CHUNK);
            for (int i = start; i < end; i++) {
                bytes[i] = (byte) random.nextInt(256);
            }
            progress.report((int) (end * 50L / size));
        }
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        progress.check();
        JsonObject stored = upstream.put(bucket, key, bytes);
        return JSON.createObjectBuilder()
                .add("bucket", bucket)
                .add("key", key)
                .add("bytes", size)
                .add("sha256", sha256)
                .add("objectPath", "/s3/" + bucket + "/" + key)
                .add("upstream", stored)
                .build();
    }
}
