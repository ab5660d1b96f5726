package dev.loomshowcase.observe;

import java.util.List;

import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;

import io.helidon.http.Method;

/**
 * The endpoints Helidon's observe feature serves on the main socket (configured under
 * {@code server.features.observe} in {@code application.yaml}), listed so that {@code GET /} and
 * {@code META-INF/openapi.yaml} show them beside the showcase's own. Helidon routes them: none has a handler here.
 */
public final class ObserveFeatureEndpoints implements EndpointService {

    @Override
    public List<Endpoint> endpoints() {
        return List.of(
                new Endpoint(Method.GET, "/observe/metrics",
                        "Helidon's meters (vthreads_*, the JVM's, requests) and the showcase's own (showcase_*): "
                                + "Prometheus text, or JSON for Accept: application/json; ?scope= and ?name= select",
                        List.of(), "/observe/metrics?scope=application", null),
                Endpoint.of(Method.GET, "/observe/health",
                        "every health check (liveness and readiness) with its status, as JSON; 503 when one is down", null),
                Endpoint.of(Method.GET, "/observe/health/live",
                        "liveness: deadlocks, heap and disk space; 503 when one is down", null),
                Endpoint.of(Method.GET, "/observe/health/ready",
                        "readiness: the database answers a ping through the pool; 503 when it does not", null));
    }
}
