package dev.loomshowcase.web;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Loopback is no boundary for a browser: any page the user has open may send requests to
 * {@code 127.0.0.1} (cross-site request forgery), and a page whose own name its owner makes resolve
 * to {@code 127.0.0.1} (DNS rebinding) may even read the answers. So, before any route runs:
 * <ul>
 *   <li>the {@code Host} must name this server ({@code server.host}, {@code localhost},
 *       {@code 127.0.0.1}, {@code [::1]}, or one of {@code app.allowed-hosts}), with this socket's port
 *       if it has one; else 421. A rebinding page sends its own name, and cannot change it;</li>
 *   <li>a request that changes state ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) that
 *       carries an {@code Origin} must come from this very origin; else 403. Browsers send
 *       {@code Origin} with every such request; curl sends none, and is let through;</li>
 *   <li>a {@code POST} body must be JSON or {@code application/octet-stream}; else 415. A plain
 *       text, form or multipart body (or one without a type) is what a page may send to any site
 *       without asking first (a CORS "simple request"); every other type, and every {@code PUT},
 *       {@code PATCH} or {@code DELETE}, needs a preflight this server never grants.</li>
 * </ul>
 * Hand-written: Helidon's CORS support grants other origins access; it checks neither the
 * {@code Host} nor a body's type. Registered on both sockets, after {@link ConnectionCloseFilter}.
 */
public final class BrowserBoundaryFilter implements Filter {

    /** The names every showcase answers to, whatever it is bound to. */
    private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");
    private static final Set<Method> CHANGING = Set.of(Method.POST, Method.PUT, Method.PATCH, Method.DELETE);

    private final Set<String> allowedHosts;
    private final boolean anyHost;

    /** From the whole config: {@code server.host} and {@code app.allowed-hosts}. */
    public static BrowserBoundaryFilter create(Config config) {
        return new BrowserBoundaryFilter(config.get("server.host").asString().get(),
                config.get("app.allowed-hosts").asList(String.class).get());
    }

    /**
     * @param serverHost   the host the server binds ({@code server.host}); even a wildcard (0.0.0.0) is
     *                     kept, as this process calls its own upstream socket by that name, and no
     *                     rebinding page can send it (that takes a name of the attacker's own)
     * @param allowedHosts more names to answer to ({@code app.allowed-hosts}): {@code name} (with this
     *                     socket's port, or none) or {@code name:port} (exactly); {@code *} turns the check off
     */
    public BrowserBoundaryFilter(String serverHost, List<String> allowedHosts) {
        // A YAML list, or one comma-separated value (-Dapp.allowed-hosts=a,b).
        List<String> extra = allowedHosts.stream().flatMap(entry -> Arrays.stream(entry.split(","))).map(String::strip).toList();
        this.anyHost = extra.contains("*");
        String bound = serverHost.contains(":") && !serverHost.startsWith("[") ? "[" + serverHost + "]" : serverHost;
        this.allowedHosts = Stream.concat(Stream.concat(LOOPBACK.stream(), Stream.of(bound)), extra.stream())
                .filter(name -> !name.isBlank())
                .map(name -> name.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> host = req.headers().first(HeaderNames.HOST);
        if (host.isPresent() && !anyHost && !allowedHost(host.get(), req.localPeer().port())) {
            // No Host at all is no browser (they always send one); the protocol layer decides about it.
            Problem.of(Status.MISDIRECTED_REQUEST_421, "Unknown host",
                    "This server answers only to its own names, not to Host '" + shorten(host.get())
                            + "' (a defence against DNS rebinding); add the name to app.allowed-hosts to serve it.")
                    .with("allowedHosts", List.copyOf(allowedHosts)).send(res);
            return;
        }
        Method method = req.prologue().method();
        if (CHANGING.contains(method)) {
            Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
            if (origin.isPresent() && !sameOrigin(origin.get(), req.isSecure() ? "https" : "http", host)) {
                Problem.of(Status.FORBIDDEN_403, "Cross-origin request",
                        "A page from " + shorten(origin.get()) + " may not change this server's state; only its own "
                                + "pages may (and clients that send no Origin, such as curl).").send(res);
                return;
            }
            if (method == Method.POST && req.content().hasEntity() && !jsonOrBytes(req)) {
                Problem.of(Status.UNSUPPORTED_MEDIA_TYPE_415, "Unsupported body type",
                        "A POST body must be sent as application/json (or application/octet-stream for POST /upload), "
                                + "not as " + req.headers().first(HeaderNames.CONTENT_TYPE).map(BrowserBoundaryFilter::shorten)
                                .orElse("a body without a Content-Type") + ".")
                        .with("accepted", List.of("application/json", "application/octet-stream")).send(res);
                return;
            }
        }
        chain.proceed();
    }

    private boolean allowedHost(String host, int socketPort) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (allowedHosts.contains(name)) {
            // Exactly as listed: a bare name (a client on port 80, or a raw one that omits the port), or name:port.
            return true;
        }
        int colon = name.lastIndexOf(':');
        if (colon < 0 || colon < name.lastIndexOf(']')) {
            return false;
        }
        return allowedHosts.contains(name.substring(0, colon)) && name.substring(colon + 1).equals(String.valueOf(socketPort));
    }

    /** Same origin: the request's own scheme://host:port, as the browser wrote it in Origin. */
    private static boolean sameOrigin(String origin, String scheme, Optional<String> host) {
        return host.isPresent() && origin.strip().equalsIgnoreCase(scheme + "://" + host.get().strip());
    }

    private static boolean jsonOrBytes(RoutingRequest req) {
        try {
            return req.headers().contentType()
                    .map(HttpMediaType::mediaType)
                    .map(type -> type.type().equalsIgnoreCase("application")
                            && (type.subtype().equalsIgnoreCase("json") || type.subtype().toLowerCase(Locale.ROOT).endsWith("+json")
                                || type.subtype().equalsIgnoreCase("octet-stream")))
                    .orElse(false);
        } catch (RuntimeException e) {
            // A Content-Type that does not parse is no accepted type either.
            return false;
        }
    }

    private static String shorten(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 80 ? printable : printable.substring(0, 80) + "…";
    }
}
