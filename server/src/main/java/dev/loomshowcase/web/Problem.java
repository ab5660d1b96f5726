package dev.loomshowcase.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonObjectBuilder;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * An error the client should see as an RFC 9457 {@code application/problem+json} body, never as a
 * stack trace. Thrown anywhere in a handler; the routing's error handler sends it.
 */
public final class Problem extends RuntimeException {

    /** The media type of every error body the showcase sends. */
    public static final HttpMediaType MEDIA_TYPE = HttpMediaType.create("application/problem+json");

    private final Status status;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<HeaderName, String> headers = new LinkedHashMap<>();

    private Problem(Status status, String title, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.status = status;
        this.title = title;
    }

    /** 400: the client sent something we will not run. */
    public static Problem badRequest(String detail) {
        return new Problem(Status.BAD_REQUEST_400, "Bad request", detail, null);
    }

    /** 404: nothing lives at this path. */
    public static Problem notFound(String detail) {
        return new Problem(Status.NOT_FOUND_404, "Not found", detail, null);
    }

    /** 413: the body is larger than this endpoint accepts. */
    public static Problem tooLarge(String detail) {
        return new Problem(Status.REQUEST_ENTITY_TOO_LARGE_413, "Payload too large", detail, null);
    }

    /** 502: the upstream answered, but with an error (or not at all). */
    public static Problem badGateway(String detail, Throwable cause) {
        return new Problem(Status.BAD_GATEWAY_502, "Upstream failed", detail, cause);
    }

    /** 504: the upstream did not answer within the outbound timeout. */
    public static Problem gatewayTimeout(String detail, Throwable cause) {
        return new Problem(Status.GATEWAY_TIMEOUT_504, "Upstream timed out", detail, cause);
    }

    /** 503 + Retry-After: a bounded pool or queue is full; the client should come back later. */
    public static Problem busy(String detail, int retryAfterSeconds) {
        Problem problem = new Problem(Status.SERVICE_UNAVAILABLE_503, "Busy", detail, null);
        return problem.withHeader(HeaderNames.RETRY_AFTER, String.valueOf(retryAfterSeconds));
    }

    /** Any status, for the few places that need one of their own. */
    public static Problem of(Status status, String title, String detail) {
        return new Problem(status, title, detail, null);
    }

    /** Adds a response header, e.g. {@code Allow} on a 405. */
    public Problem withHeader(HeaderName name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Adds a member to the body beside type/title/status/detail (e.g. the parameter's bounds). */
    public Problem with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    /**
     * The same problem told in other words (e.g. which of several calls failed), keeping its
     * status, extensions and headers; this problem becomes the cause.
     */
    public Problem retold(String detail) {
        Problem retold = new Problem(status, title, detail, this);
        retold.extensions.putAll(extensions);
        retold.headers.putAll(headers);
        return retold;
    }

    /** The response headers this problem sets, e.g. {@code Allow} or {@code Retry-After}. */
    public Map<HeaderName, String> headers() {
        return Map.copyOf(headers);
    }

    /** The body, as the client will see it. */
    public String body() {
        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", title)
                .add("status", status.code())
                .add("detail", getMessage());
        extensions.forEach((name, value) -> body.add(name, JsonValues.of(value)));
        return body.build().toString();
    }

    public Status status() {
        return status;
    }

    /**
     * This problem, answered with {@code Connection: close} when the request came over HTTP/1.x.
     * HTTP/2 forbids connection headers (RFC 9113 §8.2.2; Helidon refuses to send one), and there
     * the answer ends only its own stream, not the connection the other streams share.
     */
    public Problem closingConnection(ServerRequest req) {
        return isHttp2(req) ? this : withHeader(HeaderNames.CONNECTION, "close");
    }

    /** Whether the request came over HTTP/2 (h2c prior knowledge on the main socket). */
    public static boolean isHttp2(ServerRequest req) {
        return "2.0".equals(req.prologue().protocolVersion());
    }

    /** Writes this problem as the response. */
    public void send(ServerResponse res) {
        res.status(status);
        headers.forEach(res::header);
        res.headers().contentType(MEDIA_TYPE);
        res.send(body());
    }
}
