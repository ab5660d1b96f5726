package dev.loomshowcase;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.web.Endpoint;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThan;

/**
 * Nothing a client sends may earn a 5xx or a stack trace: every path parameter of every
 * endpoint, on both sockets, with hostile values, and every endpoint that takes a body with
 * hostile bodies. Each answer must be below 500, and problem+json when it is an error. The
 * bounded query parameters have their own suite ({@link BadInputTest}).
 */
@ServerTest(pinningDetection = true)
@RunsBesideOthers
class HostileInputTest {

    private static RunningShowcase SHOWCASE;
    /** Endpoints whose side effects or duration do not belong in this sweep; each has its own tests. */
    private static final Set<String> SKIPPED = Set.of("/observe/recording/start", "/observe/recording/stop",
            "/observe/pinning/stream");

    // Fullwidth digits: Long.parseLong reads them as digits, and "１２" made /async-delay and
    // /sync-delay wait 12 s each until their path segment took ASCII digits only (TutorialRoutesTest checks the 400).
    private static final List<String> PATH_VALUES = List.of(
            "-1", "0", "99999999999999999999999", "abc", "%20", "x".repeat(5_000), "ünïcødé-✓", "１２",
            "' OR '1'='1", "x'; DROP TABLE users;--@example.com", "..%2F..%2Fetc%2Fpasswd", "%00", "a%0d%0aX-Injected:%201");

    private static final List<String[]> BODIES = List.of(
            new String[] {"application/json", "{\"email\": "},
            new String[] {"application/json", "{{{{"},
            new String[] {"application/json", "[1, 2, 3]"},
            new String[] {"application/json", "\"just a string\""},
            new String[] {"application/json", "{\"kind\": \"cpu\", \"n\": -5, \"email\": \"' OR 1=1 --\", \"inputs\": 42}"},
            new String[] {"application/json", ""},
            new String[] {"text/plain", "hello"},
            new String[] {"application/xml", "<a>1</a>"},
            new String[] {"application/json", "{\"inputs\": \"" + "é".repeat(20_000) + "\"}"},
            new String[] {"application/json", "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"},
            new String[] {"application/json", "{\"inputs\": \"" + "x".repeat(3 << 20) + "\"}"});

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private static Stream<Endpoint> endpoints(String socket) {
        var showcase = SHOWCASE.showcase();
        return (socket.equals("main") ? showcase.mainEndpoints() : showcase.upstreamEndpoints()).stream()
                .filter(e -> !SKIPPED.contains(e.path()));
    }

    static Stream<Arguments> hostilePaths() {
        return Stream.of("main", "upstream").flatMap(socket -> endpoints(socket)
                .filter(e -> e.path().contains("{"))
                .flatMap(e -> PATH_VALUES.stream().map(value -> Arguments.of(socket, e.method().text(), e.path(), value))));
    }

    static Stream<Arguments> hostileBodies() {
        return Stream.of("main", "upstream").flatMap(socket -> endpoints(socket)
                .filter(e -> e.method().text().equals("POST") || e.method().text().equals("PUT"))
                .flatMap(e -> BODIES.stream().map(body -> Arguments.of(socket, e.method().text(), e.path(), body[0], body[1]))));
    }

    static Stream<Arguments> unservedMethods() {
        return Stream.of("main", "upstream").flatMap(socket -> endpoints(socket)
                .map(Endpoint::path)
                .distinct()
                .flatMap(path -> Stream.of("PATCH", "FOO").map(method -> Arguments.of(socket, method, path))));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("unservedMethods")
    void unservedMethodsAre405WithAllow(String socket, String method, String pattern) {
        String path = pattern.replaceAll("\\{[^}]+}", "x");
        URI uri = socket.equals("main") ? SHOWCASE.uri(path) : SHOWCASE.upstreamUri(path);
        Reply reply = SHOWCASE.send(HttpRequest.newBuilder(uri).method(method, BodyPublishers.noBody()));
        assertThat(method + " " + path + " → " + reply.status() + " " + reply.body(), reply.status(),
                org.hamcrest.Matchers.is(405));
        assertThat(String.valueOf(reply.contentType()), containsString("application/problem+json"));
        assertThat("Allow names what is served", String.valueOf(reply.header("Allow")), org.hamcrest.Matchers.not("null"));
    }

    @ParameterizedTest(name = "{0} {1} {2} with ''{3}''")
    @MethodSource("hostilePaths")
    void hostilePathValuesNeverEarnA5xx(String socket, String method, String pattern, String value) {
        String path = pattern.replaceAll("\\{[^}]+}", value.contains("%") ? value : URLEncoder.encode(value, StandardCharsets.UTF_8));
        URI uri = socket.equals("main") ? SHOWCASE.uri(path) : SHOWCASE.upstreamUri(path);
        // No body: the path alone must be refused cleanly. (A body sent after an overlong request line
        // races the server's early 400 and close, and the client then loses the answer.)
        check(HttpRequest.newBuilder(uri).method(method, BodyPublishers.noBody()), method + " " + path);
    }

    @ParameterizedTest(name = "{0} {1} {2} with {3} body #{index}")
    @MethodSource("hostileBodies")
    void hostileBodiesNeverEarnA5xx(String socket, String method, String pattern, String contentType, String body) {
        String path = pattern.replace("{model}", "m").replace("{bucket}", "bucket").replace("{key}", "key")
                .replace("{message}", "hello").replace("{email}", "a@example.com").replace("{id}", "x");
        URI uri = socket.equals("main") ? SHOWCASE.uri(path) : SHOWCASE.upstreamUri(path);
        check(HttpRequest.newBuilder(uri).header("Content-Type", contentType).method(method, BodyPublishers.ofString(body)),
                method + " " + path + " (" + contentType + ")");
    }

    private static void check(HttpRequest.Builder request, String what) {
        Reply reply = SHOWCASE.send(request);
        assertThat(what + " → " + reply.status() + " " + reply.body(), reply.status(), lessThan(500));
        if (reply.status() >= 400) {
            assertThat(what + " → " + reply.body(), String.valueOf(reply.contentType()), containsString("application/problem+json"));
        }
    }
}
