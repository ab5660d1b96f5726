package dev.loomshowcase.index;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.loomshowcase.docs.DocsService;
import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.Parameter;
import dev.loomshowcase.work.Route;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code GET /}: the API's documentation pages, every scenario × style with a one-line
 * description and an example URL, then every other endpoint of both sockets. HTML for browsers, JSON for
 * {@code Accept: application/json}. Built from the same lists the routing is built from.
 */
public final class IndexService implements EndpointService {

    private final List<Route> routes;
    private final Supplier<List<Endpoint>> mainEndpoints;
    private final List<Endpoint> upstreamEndpoints;
    private final Supplier<URI> upstreamBase;

    /**
     * @param routes            the scenario × style matrix
     * @param mainEndpoints     every endpoint of the main socket (this index included)
     * @param upstreamEndpoints every endpoint of the upstream mock's socket
     * @param upstreamBase      where the upstream mock answers
     */
    public IndexService(List<Route> routes, Supplier<List<Endpoint>> mainEndpoints,
                        List<Endpoint> upstreamEndpoints, Supplier<URI> upstreamBase) {
        this.routes = routes;
        this.mainEndpoints = mainEndpoints;
        this.upstreamEndpoints = upstreamEndpoints;
        this.upstreamBase = upstreamBase;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(Endpoint.of(Method.GET, "/",
                "this index: every scenario × style and every other endpoint (HTML, or JSON with Accept: application/json)",
                this::index));
    }

    private void index(ServerRequest req, ServerResponse res) {
        boolean json = req.headers().bestAccepted(MediaTypes.TEXT_HTML, MediaTypes.APPLICATION_JSON)
                .map(MediaTypes.APPLICATION_JSON::equals)
                .orElse(false);
        if (json) {
            res.send(asJson());
        } else {
            res.headers().contentType(MediaTypes.TEXT_HTML);
            res.send(asHtml());
        }
    }

    /** The index as JSON: the docs pages, the matrix by scenario, then a flat list of every endpoint. */
    public JsonObject asJson() {
        JsonObjectBuilder scenarios = JSON.createObjectBuilder();
        byScenario().forEach((scenario, styles) -> {
            JsonArrayBuilder array = JSON.createArrayBuilder();
            styles.forEach(route -> array.add(JSON.createObjectBuilder()
                    .add("style", route.style())
                    .add("path", route.path())
                    .add("description", route.description())
                    .add("example", route.example())
                    .add("parameters", parameters(route.parameters()))));
            scenarios.add(scenario, array);
        });
        JsonArrayBuilder endpoints = JSON.createArrayBuilder();
        mainEndpoints.get().forEach(e -> endpoints.add(endpoint(e, "main")));
        upstreamEndpoints.forEach(e -> endpoints.add(endpoint(e, "upstream")));
        JsonArrayBuilder docs = JSON.createArrayBuilder();
        DocsService.LINKS.forEach(link -> docs.add(JSON.createObjectBuilder()
                .add("path", link.path())
                .add("description", link.what())));
        return JSON.createObjectBuilder()
                .add("docs", docs)
                .add("scenarios", scenarios)
                .add("endpoints", endpoints)
                .add("upstream", upstreamBase.get().toString())
                .build();
    }

    private static JsonObjectBuilder endpoint(Endpoint e, String socket) {
        return JSON.createObjectBuilder()
                .add("method", e.method().text())
                .add("path", e.path())
                .add("socket", socket)
                .add("summary", e.summary())
                .add("example", e.example())
                .add("parameters", parameters(e.parameters()));
    }

    private static JsonArrayBuilder parameters(List<Parameter> parameters) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        parameters.forEach(p -> array.add(JSON.createObjectBuilder()
                .add("name", p.name())
                .add("minimum", p.min())
                .add("maximum", p.max())
                .add("default", p.defaultValue())
                .add("description", p.description())));
        return array;
    }

    private Map<String, List<Route>> byScenario() {
        Map<String, List<Route>> grouped = new LinkedHashMap<>();
        routes.forEach(route -> grouped.computeIfAbsent(route.scenario(), s -> new java.util.ArrayList<>()).add(route));
        return grouped;
    }

    private String asHtml() {
        StringBuilder html = new StringBuilder("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>loom-showcase</title>
                <style>
                body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
                table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}
                td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
                code,a{font-family:ui-monospace,monospace}
                </style></head><body>
                <h1>loom-showcase</h1>
                <p>The same blocking work, run in different styles. Every handler of this server runs on a virtual
                thread; the other styles are here to compare against. Each response tells you which thread ran the
                work and how long it took. <code>curl -H 'Accept: application/json' …/</code> gives this page as JSON.</p>
                """);
        // The API's own documentation first, where a FastAPI user looks for it.
        html.append("<p>API docs:");
        DocsService.LINKS.forEach(link -> html.append(" <a href=\"").append(escape(link.path())).append("\">")
                .append(escape(link.path())).append("</a> (").append(escape(link.what())).append(");"));
        html.setLength(html.length() - 1);
        html.append(".</p>\n");
        byScenario().forEach((scenario, styles) -> {
            html.append("<h2>/").append(escape(scenario)).append("/{style}</h2>\n<table><tr><th>style</th><th>what it does</th><th>try</th></tr>\n");
            styles.forEach(route -> html.append("<tr><td><code>").append(escape(route.style())).append("</code></td><td>")
                    .append(escape(route.description())).append(parameterHint(route.parameters())).append("</td><td><a href=\"")
                    .append(escape(route.example())).append("\">").append(escape(route.example())).append("</a></td></tr>\n"));
            html.append("</table>\n");
        });
        html.append("<h2>Other endpoints</h2>\n");
        endpointTable(html, mainEndpoints.get(), "");
        html.append("<h2>Upstream mock (the \"external APIs\") at ").append(escape(upstreamBase.get().toString())).append("</h2>\n");
        endpointTable(html, upstreamEndpoints, upstreamBase.get().toString().replaceAll("/$", ""));
        return html.append("</body></html>\n").toString();
    }

    private static void endpointTable(StringBuilder html, List<Endpoint> endpoints, String base) {
        html.append("<table><tr><th>method</th><th>path</th><th>what it does</th></tr>\n");
        endpoints.forEach(e -> {
            String path = escape(e.path());
            String link = e.method() == Method.GET && !e.path().contains("{")
                    ? "<a href=\"" + escape(base + e.example()) + "\">" + path + "</a>" : "<code>" + path + "</code>";
            html.append("<tr><td>").append(e.method().text()).append("</td><td>").append(link).append("</td><td>")
                    .append(escape(e.summary())).append(parameterHint(e.parameters())).append("</td></tr>\n");
        });
        html.append("</table>\n");
    }

    private static String parameterHint(List<Parameter> parameters) {
        StringBuilder hint = new StringBuilder();
        parameters.forEach(p -> hint.append("<br><small><code>").append(escape(p.name())).append("</code> ")
                .append(p.min()).append("..").append(p.max()).append(", default ").append(p.defaultValue())
                .append(": ").append(escape(p.description())).append("</small>"));
        return hint.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
