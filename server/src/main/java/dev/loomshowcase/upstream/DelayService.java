package dev.loomshowcase.upstream;

import java.util.List;

import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.Parameter;
import dev.loomshowcase.web.Problem;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;


import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code GET /delay?ms=&status=}: the slow external API of the tutorials. It waits {@code ms}
 * (on its own virtual thread) and answers with {@code status}, so callers can inject latency
 * and failures.
 */
public final class DelayService implements EndpointService {

    static final Parameter MS = new Parameter("ms", 0, 60_000, 0, "how long the upstream waits before answering");
    static final Parameter STATUS = new Parameter("status", 200, 599, 200, "the HTTP status the upstream answers with");

    @Override
    public List<Endpoint> endpoints() {
        return List.of(new Endpoint(Method.GET, "/delay",
                "waits ms, then answers with status: the slow (or failing) external API",
                List.of(MS, STATUS), "/delay?ms=500&status=200", this::delay));
    }

    private void delay(ServerRequest req, ServerResponse res) throws InterruptedException {
        long ms = MS.from(req);
        int status = (int) STATUS.from(req);
        Thread.sleep(ms);
        var body = JSON.createObjectBuilder()
                .add("ms", ms)
                .add("status", status)
                .add("thread", Thread.currentThread().toString());
        if (status >= 400) {
            // Injected failures look like every other error of the showcase.
            throw Problem.of(Status.create(status), "Injected failure", "The upstream was asked to fail with " + status + ".");
        }
        if (status == 204 || status == 205 || status == 304) {
            // These statuses carry no body (RFC 9110 §15.3.5, §15.3.6, §15.4.5): Helidon refuses to send one.
            res.status(Status.create(status)).send();
            return;
        }
        res.status(Status.create(status)).send(body.build());
    }
}
