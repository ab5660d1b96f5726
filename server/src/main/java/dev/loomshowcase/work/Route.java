package dev.loomshowcase.work;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.loomshowcase.styles.Answer;
import dev.loomshowcase.web.Parameter;

import io.helidon.webserver.http.ServerRequest;

/**
 * One route of the scenario × style matrix, as a scenario writes it: {@code GET /sleep/virtual}
 * and the line of code it runs. The routing, the {@code GET /} index, the OpenAPI check, the
 * tutorials and the race all read the same list of routes ({@link Routes}), so they cannot disagree.
 *
 * @param path        the literal path, e.g. {@code /sleep/virtual}
 * @param scenario    its first segment, e.g. {@code sleep}
 * @param style       its second segment, e.g. {@code virtual}
 * @param description one line: what runs, and on which threads
 * @param parameters  the bounded query parameters this route reads
 * @param handler     runs the work in its style, with the validated query
 */
public record Route(String path, String scenario, String style, String description, List<Parameter> parameters,
                    Handler handler) {

    /** What a route does with a request: FastAPI's path operation function, given its validated query. */
    @FunctionalInterface
    public interface Handler {
        Answer<?> handle(Query query) throws Exception;
    }

    /** Validates the request's parameters and runs the work. */
    public Answer<?> run(ServerRequest req) throws Exception {
        return handler.handle(Query.from(parameters, req));
    }

    /**
     * Runs the work with parameters given in code (the tutorials' routes use this); missing ones
     * take their defaults, all are held to their bounds.
     */
    public Answer<?> run(Map<String, Long> given) throws Exception {
        return handler.handle(Query.given(parameters, given));
    }

    /** An example URL with every parameter at its default. */
    public String example() {
        return example(Map.of());
    }

    /** This route with the given parameters, as a URL a reader can try. */
    public String example(Map<String, Long> given) {
        return path + parameters.stream()
                .map(p -> p.name() + "=" + given.getOrDefault(p.name(), p.defaultValue()))
                .collect(Collectors.joining("&", parameters.isEmpty() ? "" : "?", ""));
    }
}
