package dev.loomshowcase.docs;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The addresses a FastAPI user types by habit: {@code /docs} reaches the Swagger UI,
 * {@code /openapi.json} is the document as JSON to a plain client, and {@code /redoc} is ReDoc
 * from the jar's own bundle, not a CDN.
 */
@ServerTest(pinningDetection = true)
@RunsBesideOthers
class DocsRoutesTest {

    private static RunningShowcase SHOWCASE;
    /** Follows redirects, as a browser and {@code curl -L} do. */
    private static final HttpClient FOLLOWING = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    /** A browser's Accept, and curl's. */
    @ParameterizedTest
    @ValueSource(strings = {"text/html,application/xhtml+xml,*/*;q=0.8", "*/*"})
    void docsReachesTheSwaggerUi(String accept) throws Exception {
        Reply redirect = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/docs")).header("Accept", accept));
        assertThat(redirect.status(), is(302));
        assertThat(redirect.header("Location"), is(DocsService.SWAGGER_UI));

        HttpResponse<String> page = FOLLOWING.send(HttpRequest.newBuilder(SHOWCASE.uri("/docs"))
                .header("Accept", accept).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.uri().getPath(), is(DocsService.SWAGGER_UI));
        assertThat(page.statusCode(), is(200));
        assertThat(page.headers().firstValue("Content-Type").orElse(""), startsWith("text/html"));
        assertThat(page.body(), containsString("SwaggerUIBundle"));
        assertThat("the UI reads this server's document", page.body(), containsString("'/openapi'"));
        // The page's own script, as the browser would fetch it next, relative to the page.
        Reply script = SHOWCASE.get("/openapi/ui/swagger-ui-bundle.js");
        assertThat(script.status(), is(200));
    }

    @Test
    @SuppressWarnings("unchecked")
    void openapiJsonIsTheSameDocumentAsJson() throws Exception {
        // What a plain curl sends: no Accept beyond */*, no redirect followed.
        Reply json = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/openapi.json")).header("Accept", "*/*"));
        assertThat(json.status(), is(200));
        assertThat(json.contentType(), startsWith("application/json"));
        JsonObject document = json.json();

        Reply yaml = SHOWCASE.get("/openapi");
        assertThat(yaml.status(), is(200));
        assertThat("/openapi stays YAML by default", yaml.contentType(), not(containsString("json")));
        Map<String, Object> fromYaml = new Yaml().load(yaml.body());

        Set<String> jsonPaths = document.getJsonObject("paths").keySet();
        Set<String> yamlPaths = ((Map<String, Object>) fromYaml.get("paths")).keySet();
        assertThat(jsonPaths, is(yamlPaths));
        assertThat(jsonPaths.size(), greaterThan(50));
        assertThat(document.getJsonObject("info").getString("title"),
                is(((Map<String, Object>) fromYaml.get("info")).get("title")));
        assertThat("the new routes are documented too", jsonPaths.containsAll(
                Set.of("/docs", "/redoc", "/openapi.json", DocsService.REDOC_BUNDLE)), is(true));
    }

    @Test
    void redocIsAPageOverTheLocalBundle() throws Exception {
        Reply page = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/redoc")).header("Accept", "text/html"));
        assertThat(page.status(), is(200));
        assertThat(page.contentType(), startsWith("text/html"));
        assertThat(page.body(), containsString("src=\"" + DocsService.REDOC_BUNDLE + "\""));
        assertThat(page.body(), containsString("spec-url=\"/openapi.json\""));
        assertThat(page.body(), containsString("disable-telemetry=\"true\""));
        assertThat("no script or document from elsewhere", page.body(), not(containsString("http")));

        Reply bundle = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri(DocsService.REDOC_BUNDLE))
                .header("Accept-Encoding", "gzip"));
        assertThat(bundle.status(), is(200));
        assertThat(bundle.contentType(), startsWith("text/javascript"));
        assertThat("scripts are not gzipped (web/GzipEncoding)", bundle.header("Content-Encoding"), is((String) null));
        assertThat(bundle.body(), containsString("Version: 3.0.1"));
        assertThat(bundle.body().length(), greaterThan(2_000_000));
    }

    @Test
    void theBundleRevalidatesWithoutABody() throws IOException, InterruptedException {
        Reply first = SHOWCASE.get(DocsService.REDOC_BUNDLE);
        String etag = first.header("ETag");
        assertThat("an ETag to revalidate with", etag != null, is(true));
        Reply again = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri(DocsService.REDOC_BUNDLE))
                .header("If-None-Match", etag));
        assertThat(again.status(), is(304));
        assertThat(again.body(), is(""));
        assertThat("a 304 keeps the cached script's type: no problem+json on it", again.contentType(), is((String) null));
    }

    @Test
    void onlyTheBundleIsServedUnderRedoc() {
        for (String path : new String[] {"/redoc/README.md", "/redoc/LICENSE", DocsService.REDOC_BUNDLE + "/x"}) {
            Reply reply = SHOWCASE.get(path);
            assertThat(path, reply.status(), is(404));
            assertThat(path, reply.contentType(), is("application/problem+json"));
        }
    }

    @Test
    void theIndexListsTheDocs() {
        Reply html = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/")).header("Accept", "text/html"));
        for (String path : new String[] {"/docs", "/redoc", "/openapi.json", "/openapi"}) {
            assertThat(html.body(), containsString("<a href=\"" + path + "\">"));
        }
        Reply json = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/")).header("Accept", "application/json"));
        assertThat(json.json().getJsonArray("docs").stream()
                .map(link -> link.asJsonObject().getString("path")).toList(),
                is(java.util.List.of("/docs", "/redoc", "/openapi.json", "/openapi")));
    }
}
