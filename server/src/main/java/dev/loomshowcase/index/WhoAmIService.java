package dev.loomshowcase.index;

import java.util.List;

import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;

import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;


import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code GET /whoami}: which thread served this request. A virtual thread prints as
 * {@code VirtualThread[#52]/runnable@ForkJoinPool-1-worker-1}: the virtual thread, then the
 * carrier (platform) thread it is mounted on right now.
 */
public final class WhoAmIService implements EndpointService {

    @Override
    public List<Endpoint> endpoints() {
        return List.of(Endpoint.of(Method.GET, "/whoami",
                "which thread served this request (a virtual thread names its carrier)", this::whoami));
    }

    private void whoami(ServerRequest req, ServerResponse res) {
        Thread current = Thread.currentThread();
        res.send(JSON.createObjectBuilder()
                .add("thread", current.toString())
                .add("virtual", current.isVirtual())
                .add("threadId", current.threadId())
                .add("availableProcessors", Runtime.getRuntime().availableProcessors())
                .add("javaVersion", Runtime.version().toString())
                .build());
    }
}
