package dev.loomshowcase;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.work.Route;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * {@code GET /} lists every scenario × style the server routes, with an example that works,
 * as HTML for browsers and JSON on request.
 */
// No pinning detection: every example of the index runs, pinned-native, pinned-clinit and pinned-sync with them.
@ServerTest
@RunsBesideOthers
class IndexTest {

    private static RunningShowcase SHOWCASE;

    /** The matrix the foundation promises; a route dropped or added without the index fails here. */
    private static final Set<String> MATRIX = Set.of(
            "/sleep/virtual", "/sleep/platform", "/sleep/limited", "/sleep/reactive", "/sleep/eventloop-blocked",
            "/sleep/pinned-sync", "/sleep/pinned-native", "/sleep/pinned-clinit",
            "/http/virtual", "/http/platform", "/http/limited", "/http/reactive", "/http/eventloop-blocked",
            "/http/pinned-sync", "/http/pinned-native", "/http/pinned-clinit",
            "/fanout/sequential", "/fanout/structured", "/fanout/futures", "/fanout/platform",
            "/cpu/virtual", "/cpu/yielding", "/cpu/platform", "/cpu/parallel", "/cpu/timer",
            "/db/virtual", "/db/platform", "/db/limited", "/db/reactive", "/db/pinned-sync", "/db/pinned-native",
            "/threads/virtual", "/threads/platform");

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private JsonObject indexJson() {
        Reply reply = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/")).header("Accept", "application/json"));
        assertThat(reply.status(), is(200));
        assertThat(reply.contentType(), containsString("application/json"));
        return reply.json();
    }

    @Test
    void jsonIndexListsEveryRoutedScenarioAndStyle() {
        Set<String> listed = indexJson().getJsonObject("scenarios").values().stream()
                .flatMap(styles -> styles.asJsonArray().stream())
                .map(route -> route.asJsonObject().getString("path"))
                .collect(Collectors.toSet());
        Set<String> routed = SHOWCASE.showcase().routes().stream().map(Route::path).collect(Collectors.toSet());
        assertThat("index lists exactly what is routed", listed, is(routed));
        assertThat("routed is the promised matrix", routed, is(MATRIX));
    }

    @Test
    void jsonIndexListsEveryEndpointOfBothSockets() {
        Set<String> listed = indexJson().getJsonArray("endpoints").stream()
                .map(JsonValue::asJsonObject)
                .map(e -> e.getString("socket") + " " + e.getString("method") + " " + e.getString("path"))
                .collect(Collectors.toSet());
        for (String expected : List.of("main GET /", "main GET /whoami", "main GET /sleep/virtual",
                "main POST /jobs", "main GET /jobs", "main GET /jobs/{id}", "main DELETE /jobs/{id}",
                "main GET /observe/pinning", "main GET /observe/pinning/stream", "main GET /observe/scheduler",
                "main POST /observe/recording/start", "main POST /observe/recording/stop",
                "main GET /observe/metrics", "main GET /observe/health", "main GET /observe/health/live",
                "main GET /observe/health/ready",
                "main POST /users", "main GET /users", "main GET /users/{email}", "main DELETE /users/{email}",
                "main GET /users/export.csv", "main GET /users/{email}/with-external-data",
                "main GET /stream", "main POST /upload",
                "upstream GET /delay", "upstream POST /hf/models/{model}", "upstream POST /runpod/run",
                "upstream GET /runpod/status/{id}", "upstream PUT /s3/{bucket}/{key}", "upstream GET /s3/{bucket}/{key}")) {
            assertThat("index lists " + expected, listed.contains(expected), is(true));
        }
    }

    @Test
    void htmlIndexLinksEveryExample() {
        Reply reply = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/")).header("Accept", "text/html"));
        assertThat(reply.status(), is(200));
        assertThat(reply.contentType(), containsString("text/html"));
        SHOWCASE.showcase().routes().forEach(route ->
                assertThat("HTML index links " + route.example(), reply.body(),
                        containsString("href=\"" + route.example().replace("&", "&amp;") + "\"")));
    }

    @Test
    void everyExampleAnswers200() throws Exception {
        // Cheap versions of each example (small ms and n), so the whole matrix runs in seconds.
        for (Route route : SHOWCASE.showcase().routes()) {
            String example = route.example().replaceAll("ms=\\d+", "ms=20").replaceAll("n=\\d+", "n=1000");
            Reply reply = SHOWCASE.get(example);
            assertThat(example + ": " + reply.body(), reply.status(), is(200));
            assertThat(reply.json().getString("style"), is(route.style()));
        }
    }
}
