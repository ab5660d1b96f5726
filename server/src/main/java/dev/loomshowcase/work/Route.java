package dev.loomshowcase.work;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.loomshowcase.styles.Ran;
import dev.loomshowcase.styles.Style;
import dev.loomshowcase.styles.Work;
import dev.loomshowcase.web.Parameter;

import io.helidon.webserver.http.ServerRequest;

/**
 * One cell of the scenario × style matrix: {@code GET /{scenario}/{style}}. The routing, the
 * {@code GET /} index and the docs are all built from the same list of routes, so they cannot
 * disagree.
 *
 * @param scenario    first path segment, e.g. {@code sleep}
 * @param style       second path segment, e.g. {@code virtual}
 * @param description one line: what runs, and on which threads
 * @param parameters  the bounded query parameters this route reads
 * @param action      reads the parsed parameters and runs the work in its style
 */
public record Route(String scenario, String style, String description, List<Parameter> parameters, Action action) {

    /** Runs a route's work with its already-validated parameters. */
    @FunctionalInterface
    public interface Action {
        Ran<?> run(Args args) throws Exception;
    }

    /** The validated query parameters of one request. */
    public record Args(Map<Parameter, Long> values) {

        public long get(Parameter parameter) {
            Long value = values.get(parameter);
            if (value == null) {
                throw new IllegalArgumentException(parameter.name() + " is not a parameter of this route");
            }
            return value;
        }

        /** Parses every parameter first, so bad input is refused before any work starts. */
        static Args from(List<Parameter> parameters, ServerRequest req) {
            Map<Parameter, Long> values = new LinkedHashMap<>();
            parameters.forEach(p -> values.put(p, p.from(req)));
            return new Args(values);
        }
    }

    /** Builds the work of one request from its parameters. */
    @FunctionalInterface
    public interface WorkFactory {
        Work<?> work(Args args);
    }

    /**
     * The same work offered in each of the given styles: one route per style, the work built
     * the same way for all of them. This is the heart of the showcase.
     */
    public static List<Route> inEachStyle(String scenario, String what, List<Style> styles,
                                          List<Parameter> parameters, WorkFactory factory) {
        return styles.stream()
                .map(style -> new Route(scenario, style.name(), what + "; " + style.description(), parameters,
                        args -> style.run(factory.work(args))))
                .toList();
    }

    public String path() {
        return "/" + scenario + "/" + style;
    }

    /** An example URL with every parameter at its default. */
    public String example() {
        return example(Map.of());
    }

    /**
     * Runs the work with parameters given in code (the tutorials' routes use this); missing ones
     * take their defaults, all are held to their bounds.
     */
    public Ran<?> run(Map<String, Long> given) throws Exception {
        Map<Parameter, Long> values = new LinkedHashMap<>();
        parameters.forEach(p -> values.put(p, p.check(given.getOrDefault(p.name(), p.defaultValue()))));
        return action.run(new Args(values));
    }

    /** This route with the given parameters, as a URL a reader can try. */
    public String example(Map<String, Long> given) {
        return path() + parameters.stream()
                .map(p -> p.name() + "=" + given.getOrDefault(p.name(), p.defaultValue()))
                .collect(Collectors.joining("&", parameters.isEmpty() ? "" : "?", ""));
    }

    /** Validates the request's parameters and runs the work. */
    public Ran<?> run(ServerRequest req) throws Exception {
        return action.run(Args.from(parameters, req));
    }
}
