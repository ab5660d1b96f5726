package dev.loomshowcase.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.helidon.common.uri.UriPath;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.PathMatchers;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

import jakarta.json.Json;

/**
 * Errors Helidon answers itself, outside any route (no route matched, a malformed request line,
 * headers too large, a body over {@code max-payload-size}, an error while writing), also as
 * {@code application/problem+json}, never as plain text or a stack trace. A path that exists
 * for other methods gets 405 with {@code Allow} instead of 404. The message Helidon passes is
 * kept short and free of internals.
 */
public final class ProblemDirectHandler implements DirectHandler {

    private final Supplier<List<Endpoint>> endpoints;

    private ProblemDirectHandler(Supplier<List<Endpoint>> endpoints) {
        this.endpoints = endpoints;
    }

    /**
     * Every transport-level event of a socket answered by this handler.
     *
     * @param endpoints every endpoint of the socket, to tell a wrong method from a wrong path
     */
    public static DirectHandlers forAllEvents(Supplier<List<Endpoint>> endpoints) {
        ProblemDirectHandler handler = new ProblemDirectHandler(endpoints);
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status helidonStatus,
                                    ServerResponseHeaders headers, String message) {
        Status status = helidonStatus;
        // Helidon reports some limits (e.g. a too large body) as BAD_REQUEST events with their
        // own status, so the status decides what to tell the client.
        int code = status.code();
        String detail;
        if (code == Status.NOT_FOUND_404.code()) {
            String path = shorten(request.path());
            String allowed = allowedMethods(request.path());
            if (allowed.isEmpty()) {
                detail = "Nothing is served at " + path + ". GET / lists every route.";
            } else {
                status = Status.METHOD_NOT_ALLOWED_405;
                headers.set(HeaderNames.ALLOW, allowed);
                detail = request.method() + " is not served at " + path + "; use " + allowed + ".";
            }
        } else if (code == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
            detail = "The request body is larger than this server accepts (server.max-payload-size).";
        } else if (code == 431) {
            detail = "The request headers are larger than this server accepts.";
        } else if (code >= 500) {
            detail = "The server failed while handling this request.";
        } else if (eventType == EventType.FORBIDDEN) {
            detail = "This request is not allowed.";
        } else {
            detail = "The request could not be read as HTTP: " + shorten(message);
        }
        byte[] body = Json.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", status.reasonPhrase())
                .add("status", status.code())
                .add("detail", detail)
                .build()
                .toString()
                .getBytes(StandardCharsets.UTF_8);
        headers.set(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE.text());
        headers.remove(HeaderNames.CONTENT_LENGTH);
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(body)
                .keepAlive(eventType.keepAlive())
                .build();
    }

    /** The methods some endpoint serves at this path, e.g. {@code "GET, DELETE"}; empty if none. */
    private String allowedMethods(String path) {
        UriPath uriPath;
        try {
            uriPath = UriPath.create(path);
        } catch (RuntimeException e) {
            return "";
        }
        return endpoints.get().stream()
                .filter(endpoint -> PathMatchers.create(endpoint.path()).match(uriPath).accepted())
                .map(endpoint -> endpoint.method().text())
                .distinct()
                .collect(Collectors.joining(", "));
    }

    private static String shorten(String message) {
        if (message == null || message.isBlank()) {
            return "no detail";
        }
        String oneLine = message.replaceAll("[\\r\\n\\t]+", " ").strip();
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 160) + "…";
    }
}
