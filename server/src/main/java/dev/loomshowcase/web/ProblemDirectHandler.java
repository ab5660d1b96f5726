package dev.loomshowcase.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Errors Helidon answers itself, outside any route (no route matched, a malformed request line,
 * headers too large, a body over {@code max-payload-size}, an error while writing), also as
 * {@code application/problem+json}, never as plain text or a stack trace. A path that exists
 * for other methods gets 405 with {@code Allow} instead of 404. The message Helidon passes is
 * kept short and free of internals.
 */
public final class ProblemDirectHandler implements DirectHandler {

    private final Unrouted unrouted;

    private ProblemDirectHandler(Unrouted unrouted) {
        this.unrouted = unrouted;
    }

    /**
     * Every transport-level event of a socket answered by this handler.
     *
     * @param endpoints every endpoint of the socket, to tell a wrong method from a wrong path
     */
    public static DirectHandlers forAllEvents(Supplier<List<Endpoint>> endpoints) {
        ProblemDirectHandler handler = new ProblemDirectHandler(new Unrouted(endpoints));
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        // Helidon reports some limits (e.g. a too large body) as BAD_REQUEST events with their
        // own status, so the status decides what to tell the client.
        int code = status.code();
        if (code == Status.NOT_FOUND_404.code()) {
            // No route matched: 404, or 405 with Allow when the path exists for other methods.
            Problem problem = unrouted.problem(request.method(), request.path());
            problem.headers().forEach((name, value) -> headers.set(name, value));
            return respond(problem.status(), headers, problem.body(), eventType);
        }
        String detail;
        if (code == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
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
        // The same body every other error of the showcase has.
        return respond(status, headers, Problem.of(status, status.reasonPhrase(), detail).body(), eventType);
    }

    private static TransportResponse respond(Status status, ServerResponseHeaders headers, String body, EventType eventType) {
        headers.set(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE.text());
        headers.remove(HeaderNames.CONTENT_LENGTH);
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(body.getBytes(StandardCharsets.UTF_8))
                .keepAlive(eventType.keepAlive())
                .build();
    }

    private static String shorten(String message) {
        if (message == null || message.isBlank()) {
            return "no detail";
        }
        String oneLine = message.replaceAll("[\\r\\n\\t]+", " ").strip();
        return oneLine.length() <= 160 ? oneLine : oneLine.substring(0, 160) + "…";
    }
}
