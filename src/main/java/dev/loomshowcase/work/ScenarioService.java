package dev.loomshowcase.work;

import java.util.List;

import dev.loomshowcase.styles.Ran;
import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.JsonValues;

import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;

/**
 * Serves every route of the scenario × style matrix with one handler, so every response has
 * the same shape: {@code scenario}, {@code style}, {@code thread}, {@code virtual},
 * {@code elapsedMs} (measured here, in the server) and the work's {@code result}.
 */
public final class ScenarioService implements EndpointService {

    private final List<Route> routes;

    public ScenarioService(List<Route> routes) {
        this.routes = routes;
    }

    @Override
    public List<Endpoint> endpoints() {
        return routes.stream()
                .map(route -> new Endpoint(Method.GET, route.path(), route.description(), route.parameters(),
                        route.example(), (req, res) -> respond(route, req, res)))
                .toList();
    }

    public List<Route> routes() {
        return routes;
    }

    private static void respond(Route route, ServerRequest req, ServerResponse res) throws Exception {
        long start = System.nanoTime();
        Ran<?> ran = route.run(req);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        res.send(Json.createObjectBuilder()
                .add("scenario", route.scenario())
                .add("style", route.style())
                .add("thread", ran.thread())
                .add("virtual", ran.virtual())
                .add("elapsedMs", elapsedMs)
                .add("result", JsonValues.of(ran.result()))
                .build());
    }
}
