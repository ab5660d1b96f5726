package dev.loomshowcase.upstream;

import java.net.URI;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.loomshowcase.web.ConnectionCloseFilter;
import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.ErrorAnswers;
import dev.loomshowcase.web.ProblemDirectHandler;
import dev.loomshowcase.web.PriorKnowledgeSelector;
import dev.loomshowcase.web.ReadDeadlines;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.Filter;

/**
 * The upstream mock: the external APIs the tutorials call (a slow {@code /delay}, Hugging Face,
 * RunPod, S3), served by this process on a socket of its own. Every outbound call of the showcase
 * is then a real HTTP call with real latency, and no demo or test needs the internet.
 */
public final class UpstreamMock {

    /** The name of its socket. */
    public static final String SOCKET = "upstream";

    private final Config config;
    private final List<EndpointService> services;

    private UpstreamMock(Config config, List<EndpointService> services) {
        this.config = config;
        this.services = services;
    }

    /** From the {@code upstream} node: {@code port}, {@code max-payload-bytes}, and each API's own node. */
    public static UpstreamMock create(Config config) {
        return new UpstreamMock(config, List.of(new DelayService(), HuggingFaceMock.create(config.get("hf")),
                RunPodMock.create(config.get("runpod")), ObjectStoreMock.create(config.get("s3"))));
    }

    /**
     * Where the showcase's outbound calls go: {@code upstream.base-uri}, or when that is empty this
     * mock, on its socket of this process (its port known once the server runs).
     */
    public Supplier<URI> baseUri(String host, IntSupplier port) {
        String configured = config.get("base-uri").asString().get();
        return configured.isBlank()
                ? () -> URI.create("http://" + host + ":" + port.getAsInt() + "/")
                : () -> URI.create(configured);
    }

    /** Every endpoint of its socket, as routed. */
    public List<Endpoint> endpoints() {
        return EndpointService.endpointsOf(services);
    }

    /**
     * Adds its socket to a server builder, on the main socket's host: its routing and problem+json
     * answers, behind the same browser boundary as the main socket (a page must not store or read
     * objects here, nor fill RunPod's job table), and with the same read deadlines; its connection
     * bound and idle timeout are {@code upstream.socket}'s.
     */
    public void addSocket(WebServerConfig.Builder builder, String host, Filter browserBoundary,
                          ReadDeadlines readDeadlines) {
        // HTTP/1.1 whose idle time counts from a connection's last answer, as on the main socket.
        PriorKnowledgeSelector http1 = PriorKnowledgeSelector.http1Only(readDeadlines.http1());
        builder.putSocket(SOCKET, socket -> socket
                        // Its connection bound and idle timeout, under upstream.socket (Helidon's listener keys).
                        .config(config.get("socket"))
                        .protocolsDiscoverServices(false)
                        .addConnectionSelector(http1)
                        .host(host)
                        .port(config.get("port").asInt().get())
                        .maxPayloadSize(config.get("max-payload-bytes").asLong().get())
                        .directHandlers(ProblemDirectHandler.forAllEvents(this::endpoints)))
                .routing(SOCKET, routing -> {
                    routing.addFilter(new ConnectionCloseFilter());
                    routing.addFilter(http1.requestsFilter());
                    routing.addFilter(readDeadlines.bodyFilter());
                    routing.addFilter(browserBoundary);
                    services.forEach(routing::register);
                    ErrorAnswers.register(routing, this::endpoints);
                });
    }
}
