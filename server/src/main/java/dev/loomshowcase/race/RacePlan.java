package dev.loomshowcase.race;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.loomshowcase.web.Parameter;
import dev.loomshowcase.web.Problem;
import dev.loomshowcase.work.Route;

import io.helidon.webserver.http.ServerRequest;

/**
 * What a race runs, read from {@code /race/run}'s query and checked before anything starts:
 * one scenario, the styles to race (only ones the scenario routes), how many requests per
 * style, and how much work each request does.
 *
 * @param scenario the scenario, e.g. {@code sleep}
 * @param routes   one route per style, in the order given
 * @param n        requests per style, all sent at once
 * @param work     the work's parameters, by the scenario routes' own names (e.g. {@code ms})
 */
record RacePlan(String scenario, List<Route> routes, int n, Map<String, Long> work) {

    static final Parameter N = new Parameter("n", 1, 1_000, 100, "requests per style, all sent at once");
    static final Parameter MS = new Parameter("ms", 0, 10_000, 500,
            "sleep, http, fanout, db: how long each request's work waits, in milliseconds");
    static final Parameter CALLS = new Parameter("calls", 1, 20, 3, "fanout: upstream calls per request");
    static final Parameter ITERATIONS = new Parameter("iterations", 1, 2_000_000_000L, 100_000_000L,
            "cpu: iterations of each request's loop (what /cpu calls n)");
    /** Every numeric parameter, in the order the page shows them. */
    static final List<Parameter> PARAMETERS = List.of(N, MS, CALLS, ITERATIONS);

    /** The longest {@code styles} value read; anything longer is not a list of style names. */
    private static final int MAX_STYLES_CHARS = 300;
    /** Styles raced when none are given, where the scenario has them. */
    private static final List<String> DEFAULT_STYLES = List.of("virtual", "platform", "reactive");

    /**
     * Reads and checks the query.
     *
     * @param byScenario every scenario's routes, one per style
     * @throws Problem 400 naming the parameter for an unknown scenario or style, or a number out of bounds
     */
    static RacePlan from(ServerRequest req, Map<String, List<Route>> byScenario) {
        String scenario = single(req, "scenario", "sleep");
        List<Route> offered = byScenario.get(scenario);
        if (offered == null) {
            throw Problem.badRequest("Parameter 'scenario' must be one of " + byScenario.keySet() + ", got '"
                            + shorten(scenario) + "'.")
                    .with("parameter", "scenario")
                    .with("allowed", List.copyOf(byScenario.keySet()));
        }
        List<Route> routes = styles(req, scenario, offered);
        int n = (int) N.from(req);
        // The race's names for the work, mapped to the names the scenario's routes read.
        Map<String, Long> work = new LinkedHashMap<>();
        work.put("ms", MS.from(req));
        work.put("calls", CALLS.from(req));
        work.put("n", ITERATIONS.from(req));
        Map<String, Long> used = new LinkedHashMap<>();
        routes.getFirst().parameters().forEach(p -> {
            if (work.containsKey(p.name())) {
                used.put(p.name(), work.get(p.name()));
            }
        });
        return new RacePlan(scenario, routes, n, used);
    }

    private static List<Route> styles(ServerRequest req, String scenario, List<Route> offered) {
        List<String> names = offered.stream().map(Route::style).toList();
        String given = String.join(",", req.query().all("styles", List::of));
        List<String> wanted;
        if (given.isBlank()) {
            wanted = DEFAULT_STYLES.stream().filter(names::contains).toList();
            if (wanted.isEmpty()) {
                wanted = names.subList(0, Math.min(2, names.size()));
            }
        } else {
            if (given.length() > MAX_STYLES_CHARS) {
                throw badStyles("Parameter 'styles' is longer than " + MAX_STYLES_CHARS + " characters.", names);
            }
            wanted = Arrays.stream(given.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        }
        List<Route> routes = new ArrayList<>();
        for (String style : wanted) {
            routes.add(offered.stream()
                    .filter(route -> route.style().equals(style))
                    .findFirst()
                    .orElseThrow(() -> badStyles("Parameter 'styles': /" + scenario + " has no style '" + shorten(style)
                            + "'; it offers " + names + ".", names)));
        }
        if (routes.isEmpty()) {
            throw badStyles("Parameter 'styles' names no style; /" + scenario + " offers " + names + ".", names);
        }
        return routes;
    }

    private static Problem badStyles(String detail, List<String> allowed) {
        return Problem.badRequest(detail).with("parameter", "styles").with("allowed", allowed);
    }

    private static String single(ServerRequest req, String name, String defaultValue) {
        List<String> values = req.query().all(name, List::of);
        if (values.size() > 1) {
            throw Problem.badRequest("Parameter '" + name + "' is given " + values.size() + " times; give it once.")
                    .with("parameter", name);
        }
        return values.isEmpty() ? defaultValue : values.getFirst().strip();
    }

    private static String shorten(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "…";
    }

    /** Each style's URL path and query: the scenario route with this plan's work. */
    String pathAndQuery(Route route) {
        return route.example(work);
    }
}
