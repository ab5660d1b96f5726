package dev.loomshowcase.web;

import java.util.List;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;

/**
 * One route a service serves, described for people. Services register their routes from
 * their list of endpoints, so the index (and the docs checked against it) cannot forget one.
 *
 * @param method     HTTP method
 * @param path       path pattern, e.g. {@code /runpod/status/{id}}
 * @param summary    one line: what it does and what to notice
 * @param parameters the bounded query parameters it reads
 * @param example    a URL (path and query) to try, or a curl-ready hint for non-GET routes
 * @param handler    the code that serves it
 */
public record Endpoint(Method method, String path, String summary, List<Parameter> parameters, String example,
                       Handler handler) {

    /** An endpoint whose example is its own path. */
    public static Endpoint of(Method method, String path, String summary, Handler handler) {
        return new Endpoint(method, path, summary, List.of(), path, handler);
    }
}
