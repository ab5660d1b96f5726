package dev.loomshowcase.web;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.helidon.common.uri.UriPath;
import io.helidon.http.HeaderNames;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;

/**
 * The answer to a request no route serves: 405 with {@code Allow} when the path exists for
 * other methods, 404 otherwise. Helidon reaches it two ways (its direct handler when nothing
 * matched, or a NotFoundException through the routing's filters), and both answer the same.
 */
public final class Unrouted {

    private final Supplier<List<Endpoint>> endpoints;

    /** @param endpoints every endpoint of the socket */
    public Unrouted(Supplier<List<Endpoint>> endpoints) {
        this.endpoints = endpoints;
    }

    /** The problem for {@code method} on {@code path}. */
    public Problem problem(String method, String path) {
        String shown = path.length() > 200 ? path.substring(0, 200) + "…" : path;
        String allowed = allowedMethods(path);
        if (allowed.isEmpty()) {
            return Problem.notFound("Nothing is served at " + shown + ". GET / lists every route.");
        }
        return Problem.of(Status.METHOD_NOT_ALLOWED_405, "Method not allowed",
                        method + " is not served at " + shown + "; use " + allowed + ".")
                .withHeader(HeaderNames.ALLOW, allowed);
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
}
