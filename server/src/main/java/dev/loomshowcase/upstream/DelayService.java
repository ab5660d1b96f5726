package dev.loomshowcase.upstream;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.Parameter;
import dev.loomshowcase.web.Problem;
import dev.loomshowcase.web.TcpTable;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;


import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code GET /delay?ms=&status=}: the slow external API of the tutorials. It waits {@code ms}
 * (on its own virtual thread) and answers with {@code status}, so callers can inject latency
 * and failures. {@code GET /delay/in-flight} counts the calls it is still waiting on, and how
 * many of their callers have already hung up: what a fan-out did to its other calls.
 */
public final class DelayService implements EndpointService {

    static final Parameter MS = new Parameter("ms", 0, 60_000, 0, "how long the upstream waits before answering");
    static final Parameter STATUS = new Parameter("status", 200, 599, 200, "the HTTP status the upstream answers with");


    /** One call's connection, by its two ports: unique while the call waits (HTTP/1.1, one call at a time). */
    private final AtomicLong received = new AtomicLong();
    private final Set<TcpTable.Ports> waiting = ConcurrentHashMap.newKeySet();

    @Override
    public List<Endpoint> endpoints() {
        return List.of(new Endpoint(Method.GET, "/delay",
                        "waits ms, then answers with status: the slow (or failing) external API",
                        List.of(MS, STATUS), "/delay?ms=500&status=200", this::delay),
                Endpoint.of(Method.GET, "/delay/in-flight",
                        "the /delay calls received, still waiting, and waiting for a caller who has hung up",
                        this::inFlight));
    }

    private void delay(ServerRequest req, ServerResponse res) throws InterruptedException {
        long ms = MS.from(req);
        int status = (int) STATUS.from(req);
        received.incrementAndGet();
        TcpTable.Ports connection = new TcpTable.Ports(req.localPeer().port(), req.remotePeer().port());
        waiting.add(connection);
        try {
            // Like most servers, the mock learns its caller hung up only when it writes the answer:
            // HTTP/1.1 has no "cancel", only a closed connection, and nothing reads it while we sleep.
            Thread.sleep(ms);
        } finally {
            waiting.remove(connection);
        }
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

    private void inFlight(ServerRequest req, ServerResponse res) {
        var body = JSON.createObjectBuilder()
                .add("received", received.get())
                .add("waiting", waiting.size());
        callersGone().ifPresent(gone -> body.add("callersGone", gone));
        res.send(body.build());
    }

    /**
     * Of the calls waiting, those whose caller has closed the connection, as the kernel's TCP
     * tables say (Linux only: empty elsewhere). Helidon tells a handler nothing when its client
     * hangs up, so this is the one place the mock can see a cancelled call.
     */
    private Optional<Long> callersGone() {
        Map<TcpTable.Ports, String> states = TcpTable.read();
        if (states.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(waiting.stream().filter(c -> !TcpTable.ESTABLISHED.equals(states.get(c))).count());
    }
}
