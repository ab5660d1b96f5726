package dev.loomshowcase.work;

import java.util.List;

import dev.loomshowcase.observe.ThreadRoutes;
import dev.loomshowcase.styles.Answer;
import dev.loomshowcase.web.ClientWatch;
import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.JsonValues;

import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonObjectBuilder;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * Serves every route of the scenario × style matrix with one handler, so every response has
 * the same shape: {@code scenario}, {@code style}, {@code thread}, {@code virtual},
 * {@code elapsedMs} (measured here, in the server), the style's notes and the work's
 * {@code result}: the one {@code response_model} every path operation of the matrix shares.
 * Each route's own line is in its scenario's file ({@code .get("/sleep/virtual", ...)}).
 */
public final class ScenarioService implements EndpointService {

    private final List<Route> routes;
    private final ThreadRoutes threadRoutes;
    private final ClientWatch clientWatch = new ClientWatch();

    /**
     * @param routes       the scenario × style matrix
     * @param threadRoutes remembers which route each request thread serves, for the pinning monitor
     */
    public ScenarioService(List<Route> routes, ThreadRoutes threadRoutes) {
        this.routes = routes;
        this.threadRoutes = threadRoutes;
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

    private void respond(Route route, ServerRequest req, ServerResponse res) throws Exception {
        long start = System.nanoTime();
        // Interrupted if the client hangs up first: nobody would read the answer.
        Answer<?> answer = clientWatch.whileClientWaits(req, () -> threadRoutes.whileServing(route.path(), () -> route.run(req)));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("scenario", route.scenario())
                .add("style", route.style())
                .add("thread", answer.thread())
                .add("virtual", answer.virtual())
                .add("elapsedMs", elapsedMs);
        answer.notes().forEach((name, value) -> body.add(name, JsonValues.of(value)));
        res.send(body.add("result", JsonValues.of(answer.result())).build());
    }
}
