package dev.loomshowcase;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.Parameter;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * {@code META-INF/openapi.yaml} documents exactly what the server routes, on both sockets: a
 * route served but undocumented, or documented but not served, fails here; so does a
 * parameter whose documented bounds differ from the ones the server enforces.
 */
@ServerTest(pinningDetection = true)
@RunsBesideOthers
class OpenApiTest {

    private static RunningShowcase SHOWCASE;
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> document() throws Exception {
        try (InputStream in = OpenApiTest.class.getClassLoader().getResourceAsStream("META-INF/openapi.yaml")) {
            return new Yaml().load(in);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> operation(Map<String, Object> document, String method, String path) {
        Map<String, Object> item = (Map<String, Object>) ((Map<String, Object>) document.get("paths")).get(path);
        return item == null ? null : (Map<String, Object>) item.get(method);
    }

    @Test
    @SuppressWarnings("unchecked")
    void documentListsExactlyTheRoutesOfBothSockets() throws Exception {
        Map<String, Object> paths = (Map<String, Object>) document().get("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, item) -> ((Map<String, Object>) item).keySet().stream()
                .filter(METHODS::contains)
                .forEach(method -> documented.add(method.toUpperCase() + " " + path)));
        Set<String> served = new TreeSet<>();
        SHOWCASE.showcase().mainEndpoints().forEach(e -> served.add(e.method().text() + " " + e.path()));
        SHOWCASE.showcase().upstreamEndpoints().forEach(e -> served.add(e.method().text() + " " + e.path()));

        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        Set<String> notServed = new TreeSet<>(documented);
        notServed.removeAll(served);
        assertThat("served but not in openapi.yaml: " + undocumented, undocumented.isEmpty(), is(true));
        assertThat("in openapi.yaml but not served: " + notServed, notServed.isEmpty(), is(true));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationHasASummaryAndTheServersBounds() throws Exception {
        Map<String, Object> document = document();
        List<String> problems = new ArrayList<>();
        List<Endpoint> endpoints = new ArrayList<>(SHOWCASE.showcase().mainEndpoints());
        endpoints.addAll(SHOWCASE.showcase().upstreamEndpoints());
        for (Endpoint endpoint : endpoints) {
            String name = endpoint.method().text() + " " + endpoint.path();
            Map<String, Object> operation = operation(document, endpoint.method().text().toLowerCase(), endpoint.path());
            if (operation == null) {
                continue; // reported by the test above
            }
            if (!(operation.get("summary") instanceof String summary) || summary.isBlank()) {
                problems.add(name + ": no summary");
            }
            if (!(operation.get("responses") instanceof Map<?, ?> responses) || responses.isEmpty()) {
                problems.add(name + ": no responses");
            }
            List<Map<String, Object>> documentedParameters =
                    (List<Map<String, Object>>) operation.getOrDefault("parameters", List.of());
            for (Parameter parameter : endpoint.parameters()) {
                Map<String, Object> schema = documentedParameters.stream()
                        .filter(p -> parameter.name().equals(p.get("name")) && "query".equals(p.get("in")))
                        .map(p -> (Map<String, Object>) p.get("schema"))
                        .findFirst()
                        .orElse(null);
                if (schema == null) {
                    problems.add(name + ": query parameter " + parameter.name() + " undocumented");
                } else if (((Number) schema.get("minimum")).longValue() != parameter.min()
                        || ((Number) schema.get("maximum")).longValue() != parameter.max()
                        || ((Number) schema.get("default")).longValue() != parameter.defaultValue()) {
                    problems.add(name + ": " + parameter.name() + " documented as " + schema + " but the server enforces "
                            + parameter.min() + ".." + parameter.max() + " default " + parameter.defaultValue());
                }
            }
        }
        assertThat(String.join("\n", problems), problems.isEmpty(), is(true));
    }

    @Test
    void corsIsOffByDefault() {
        for (String path : new String[] {"/openapi", "/whoami", "/sleep/virtual?ms=1"}) {
            Reply reply = SHOWCASE.send(java.net.http.HttpRequest.newBuilder(SHOWCASE.uri(path))
                    .header("Origin", "http://elsewhere.example"));
            assertThat(path + " must not allow other origins", reply.header("Access-Control-Allow-Origin"),
                    org.hamcrest.Matchers.nullValue());
        }
    }

    @Test
    void problemShapeIsAComponent() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) document().get("components")).get("schemas");
        assertThat(schemas.containsKey("Problem"), is(true));
    }

    @Test
    void servedAtOpenapiAndBrowsableOffline() {
        Reply document = SHOWCASE.get("/openapi");
        assertThat(document.status(), is(200));
        assertThat(document.body(), containsString("/sleep/virtual"));
        Reply ui = SHOWCASE.send(java.net.http.HttpRequest.newBuilder(SHOWCASE.uri("/openapi/ui/index.html"))
                .header("Accept", "text/html"));
        assertThat(ui.status(), is(200));
        assertThat(ui.body().toLowerCase(), containsString("<html"));
    }
}
