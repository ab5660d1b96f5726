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

    @Override
    default void routing(HttpRules rules) {
        endpoints().forEach(endpoint -> rules.route(endpoint.method(), endpoint.path(), endpoint.handler()));
    }
}
