package dev.loomshowcase.web;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.helidon.http.HeaderNames;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Registered last: whatever no endpoint served ends here as problem+json, 405 with
 * {@code Allow} when the path exists for other methods, 404 otherwise.
 */
public final class FallbackService implements HttpService {

    private final Supplier<List<Endpoint>> endpoints;

    public FallbackService(Supplier<List<Endpoint>> endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::fallback);
    }

    private void fallback(ServerRequest req, ServerResponse res) {
        // res is unused: everything ends as a Problem, written by the routing's error handler.
        String path = req.path().path();
        String allowed = endpoints.get().stream()
                .filter(e -> PathMatchers.create(e.path()).match(req.path()).accepted())
                .map(e -> e.method().text())
                .distinct()
                .collect(Collectors.joining(", "));
        String shown = path.length() > 200 ? path.substring(0, 200) + "…" : path;
        if (allowed.isEmpty()) {
            throw Problem.notFound("Nothing is served at " + shown + ". GET / lists every route.");
        }
        throw Problem.of(Status.METHOD_NOT_ALLOWED_405, "Method not allowed",
                        req.prologue().method().text() + " is not served at " + shown + "; use " + allowed + ".")
                .withHeader(HeaderNames.ALLOW, allowed);
    }
}
