package dev.loomshowcase.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

/**
 * The addresses FastAPI users type by habit, {@code /docs}, {@code /redoc} and
 * {@code /openapi.json}, over the one OpenAPI document Helidon's OpenAPI feature serves at
 * {@code /openapi} (from {@code META-INF/openapi.yaml}). Helidon serves that document and its
 * Swagger UI; this service adds the FastAPI names and ReDoc, all offline.
 */
public final class DocsService implements EndpointService {

    /** Where Helidon's Swagger UI page is (helidon-integrations-openapi-ui). */
    public static final String SWAGGER_UI = "/openapi/ui/index.html";
    /** The vendored ReDoc bundle (src/main/resources/web/redoc/README.md says which version and from where). */
    public static final String REDOC_BUNDLE = "/redoc/redoc.standalone.js";
    private static final String BUNDLE_FILE = "redoc.standalone.js";

    /** One documentation address, for the index. */
    public record Link(String path, String what) {
    }

    /** The documentation pages and documents, in the order the index lists them. */
    public static final List<Link> LINKS = List.of(
            new Link("/docs", "Swagger UI: try every route from the browser"),
            new Link("/redoc", "ReDoc: the same document as a reference to read"),
            new Link("/openapi.json", "the OpenAPI document as JSON"),
            new Link("/openapi", "the OpenAPI document as YAML (JSON for Accept: application/json)"));

    private final byte[] redocPage = resource("web/redoc/index.html");

    @Override
    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.of(Method.GET, "/docs",
                        "the Swagger UI, where FastAPI has it: redirects (302) to Helidon's OpenAPI UI at " + SWAGGER_UI,
                        this::docs),
                Endpoint.of(Method.GET, "/redoc",
                        "ReDoc: the OpenAPI document as a reference to read, rendered in the browser from this jar (offline)",
                        this::redoc),
                // Routed by Helidon's static content handler (routing below), so the endpoint has no handler.
                Endpoint.of(Method.GET, REDOC_BUNDLE,
                        "ReDoc 3.0.1's standalone bundle (MIT, vendored from npm), with ETag and 304 for a browser's cache",
                        null),
                Endpoint.of(Method.GET, "/openapi.json",
                        "the OpenAPI document as JSON, for any client (the same document as /openapi)",
                        this::openapiJson),
                // These two Helidon's OpenAPI feature routes itself (server.features.openapi in application.yaml).
                new Endpoint(Method.GET, "/openapi",
                        "the OpenAPI document: YAML, or JSON for Accept: application/json or ?format=json; "
                                + "browsers go to the UI",
                        List.of(), "/openapi", null),
                Endpoint.of(Method.GET, "/openapi/ui",
                        "Helidon's OpenAPI UI (Swagger UI), served from the jar: redirects (307) to " + SWAGGER_UI, null));
    }

    @Override
    public void routing(HttpRules rules) {
        EndpointService.super.routing(rules);
        // 2.3 MB: Helidon's static content handler types it from its extension, keeps it in memory once read,
        // and answers a browser's revalidation with 304 (ETag, Last-Modified) instead of sending it again.
        // Only the bundle: any other path under /redoc (its README, a typo) goes on to the usual 404.
        rules.register("/redoc", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location("web/redoc")
                .pathMapper(path -> path.equals(BUNDLE_FILE) ? path : "not-served")
                .build()));
    }

    /**
     * A redirect, not the page itself: the UI's page loads its scripts and styles by paths relative
     * to {@code /openapi/ui/}, so served at {@code /docs} it would find none of them. Temporary (302),
     * so that no browser keeps it forever; every browser and {@code curl -L} follow it.
     */
    private void docs(ServerRequest req, ServerResponse res) {
        res.status(Status.FOUND_302);
        res.header(HeaderNames.LOCATION, SWAGGER_UI);
        res.send();
    }

    /**
     * The same route as {@code /openapi?format=json}, taken inside the server: Helidon's OpenAPI
     * feature converts the YAML and caches the JSON, and a plain {@code curl} gets
     * {@code application/json} without an {@code Accept} header or a redirect to follow.
     */
    private void openapiJson(ServerRequest req, ServerResponse res) {
        res.reroute("/openapi", UriQuery.create("format=json"));
    }

    private void redoc(ServerRequest req, ServerResponse res) {
        res.headers().contentType(HttpMediaType.create("text/html; charset=UTF-8"));
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(redocPage);
    }

    private static byte[] resource(String name) {
        try (InputStream in = DocsService.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
