package dev.loomshowcase.web;

import java.util.List;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * A Helidon service that lists its endpoints and is routed from that list.
 */
public interface EndpointService extends HttpService {

    /** Everything this service serves. */
    List<Endpoint> endpoints();

    /** Everything these services serve, in their order. */
    static List<Endpoint> endpointsOf(List<EndpointService> services) {
        return services.stream().flatMap(s -> s.endpoints().stream()).toList();
    }

    /**
     * Routes every endpoint that has a handler. One without a handler is one Helidon routes itself
     * (its observe and OpenAPI features, static content), listed only so {@code GET /} and the
     * OpenAPI check show it.
     */
    @Override
    default void routing(HttpRules rules) {
        endpoints().stream()
                .filter(endpoint -> endpoint.handler() != null)
                .forEach(endpoint -> rules.route(endpoint.method(), endpoint.path(), endpoint.handler()));
    }
}
