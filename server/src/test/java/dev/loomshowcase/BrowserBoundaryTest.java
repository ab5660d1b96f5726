package dev.loomshowcase;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.Set;
import java.util.stream.Stream;

import dev.loomshowcase.support.RawHttp;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;
import dev.loomshowcase.support.StillServing;
import dev.loomshowcase.web.Endpoint;

import io.helidon.http.Method;
import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Loopback is no boundary for a browser (web/BrowserBoundaryFilter), tried as a hostile page would:
 * a DNS-rebinding page (its own name in {@code Host}) is refused 421 on both sockets; a
 * cross-site page's state-changing request ({@code Origin} of its own) is refused 403 on every
 * such route, and changes nothing; a body a page may send without a preflight (text/plain, a form,
 * multipart, no type) is refused 415. The S3-like store serves what it holds as inert downloads,
 * frees memory on DELETE and answers its total cap with a 507 problem.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings({
        "app.allowed-hosts=showcase.test,proxy.test:443",
        "upstream.s3.max-object-bytes=2048",
        "upstream.s3.max-total-bytes=4096"})
@RunsBesideOthers
class BrowserBoundaryTest {

    private static RunningShowcase SHOWCASE;
    private static final String EVIL = "http://evil.example";
    /** Reading these from another site's page would be the point of a rebinding attack. */
    private static final Set<String> SKIPPED = Set.of();

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @AfterEach
    void serverStillAnswersQuickly() {
        StillServing.assertWhoamiWithin100Ms(SHOWCASE);
    }

    private static int port(String socket) {
        return socket.equals("main") ? SHOWCASE.showcase().port() : SHOWCASE.showcase().upstreamPort();
    }

    private static URI uri(String socket, String path) {
        return socket.equals("main") ? SHOWCASE.uri(path) : SHOWCASE.upstreamUri(path);
    }

    private static void assertProblem(String what, int status, RawHttp.Answer answer) {
        assertThat(what + " → " + answer.head() + "\n" + answer.body(), answer.status(), is(status));
        assertThat(what, String.valueOf(answer.header("Content-Type")), containsString("application/problem+json"));
    }

    private static void assertProblem(String what, int status, Reply reply) {
        assertThat(what + " → " + reply.body(), reply.status(), is(status));
        assertThat(what, String.valueOf(reply.contentType()), containsString("application/problem+json"));
    }

    // --- DNS rebinding: the Host header -------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"main /users/export.csv", "main /whoami", "upstream /s3/some-bucket/key", "upstream /delay"})
    void aForeignHostIs421OnBothSockets(String target) {
        String socket = target.split(" ")[0];
        String path = target.split(" ")[1];
        int port = port(socket);
        for (String host : new String[] {"evil.example:" + port, "evil.example", "127.0.0.1.evil.example:" + port,
                "localhost.:" + port, "localhost:" + (port == 1 ? 2 : 1)}) {
            RawHttp.Answer answer = RawHttp.get(port, path, host);
            assertProblem(socket + " GET " + path + " with Host " + host, 421, answer);
            assertThat("no data reaches the rebinding page", answer.body(), not(containsString("email,full_name")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"main", "upstream"})
    void theServersOwnNamesAreServed(String socket) {
        int port = port(socket);
        String path = socket.equals("main") ? "/whoami" : "/delay";
        for (String host : new String[] {"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port,
                "127.0.0.1", "localhost", "showcase.test:" + port, "showcase.test", "proxy.test:443"}) {
            RawHttp.Answer answer = RawHttp.get(port, path, host);
            assertThat(socket + " with Host " + host + " → " + answer.head(), answer.status(), is(200));
        }
        assertThat("a name listed with a port is served only with that port",
                RawHttp.get(port, path, "proxy.test:" + port).status(), is(421));
    }

    // --- CSRF: the Origin header --------------------------------------------------------------

    static Stream<Arguments> stateChangingRoutes() {
        return Stream.of("main", "upstream").flatMap(socket -> (socket.equals("main")
                        ? SHOWCASE.showcase().mainEndpoints() : SHOWCASE.showcase().upstreamEndpoints()).stream()
                .filter(e -> e.method() == Method.POST || e.method() == Method.PUT || e.method() == Method.DELETE
                        || e.method() == Method.PATCH)
                .map(e -> Arguments.of(socket, e)));
    }

    private static HttpRequest.Builder request(String socket, Endpoint endpoint, String origin) {
        String path = endpoint.path().replace("{model}", "m").replace("{bucket}", "some-bucket").replace("{key}", "key")
                .replace("{message}", "hello").replace("{email}", "a@example.com").replace("{id}", "x");
        boolean bytes = path.equals("/upload") || path.startsWith("/s3/");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(socket, path)).header("Origin", origin);
        if (endpoint.method() == Method.DELETE) {
            return request.DELETE();
        }
        return request.header("Content-Type", bytes ? "application/octet-stream" : "application/json")
                .method(endpoint.method().text(), BodyPublishers.ofString("{}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stateChangingRoutes")
    void aCrossSiteOriginIs403OnEveryStateChangingRoute(String socket, Endpoint endpoint) {
        for (String origin : new String[] {EVIL, "null", "http://127.0.0.1:1", "https://127.0.0.1:" + port(socket)}) {
            assertProblem(socket + " " + endpoint.method().text() + " " + endpoint.path() + " from " + origin, 403,
                    SHOWCASE.send(request(socket, endpoint, origin)));
        }
    }

    @Test
    void aRefusedCrossSiteRequestChangesNothing() {
        String user = "{\"email\": \"csrf@example.com\", \"full_name\": \"Not Created\"}";
        Reply refused = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/users")).header("Origin", EVIL)
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(user)));
        assertProblem("POST /users from " + EVIL, 403, refused);
        assertThat("no user was created", SHOWCASE.get("/users/csrf@example.com").status(), is(404));

        Reply recording = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/observe/recording/start"))
                .header("Origin", EVIL).POST(BodyPublishers.noBody()));
        assertProblem("POST /observe/recording/start from " + EVIL, 403, recording);
        assertThat("no recording was started", SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/observe/recording/stop"))
                .POST(BodyPublishers.noBody())).status(), is(409));
    }

    @Test
    void theServersOwnPagesAndClientsWithoutOriginMayChangeState() {
        String self = "http://127.0.0.1:" + SHOWCASE.showcase().port();
        Reply fromOwnPage = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/users")).header("Origin", self)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"email\": \"own-page@example.com\", \"full_name\": \"Own Page\"}")));
        assertThat(fromOwnPage.body(), fromOwnPage.status(), is(201));
        Reply fromCurl = SHOWCASE.post("/users", "{\"email\": \"curl@example.com\", \"full_name\": \"Curl\"}");
        assertThat("no Origin (curl): served", fromCurl.status(), is(201));
        Reply deleted = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/users/own-page@example.com"))
                .header("Origin", self).DELETE());
        assertThat(deleted.body(), deleted.status(), is(204));
        assertThat(SHOWCASE.delete("/users/curl@example.com").status(), is(204));
    }

    // --- CSRF: bodies a page may send without a preflight -------------------------------------

    static Stream<Arguments> postRoutesAndSimpleTypes() {
        return stateChangingRoutes()
                .filter(arguments -> ((Endpoint) arguments.get()[1]).method() == Method.POST)
                .flatMap(arguments -> Stream.of("text/plain", "text/plain; charset=utf-8",
                                "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "")
                        .map(type -> Arguments.of(arguments.get()[0], arguments.get()[1], type)));
    }

    @ParameterizedTest(name = "{0} {1} as ''{2}''")
    @MethodSource("postRoutesAndSimpleTypes")
    void aBodyAPageMaySendAnywhereIs415(String socket, Endpoint endpoint, String type) {
        String path = endpoint.path().replace("{model}", "m").replace("{message}", "hello");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(socket, path))
                .POST(BodyPublishers.ofString("{\"email\": \"form@example.com\", \"full_name\": \"Form\", \"kind\": \"cpu\"}"));
        if (!type.isEmpty()) {
            request.header("Content-Type", type);
        }
        assertProblem(socket + " POST " + path + " as '" + type + "'", 415, SHOWCASE.send(request));
        assertThat("nothing was created", SHOWCASE.get("/users/form@example.com").status(), is(404));
    }

    @Test
    void jsonRoutesReadOnlyJsonAndUploadsTakeBytes() {
        Reply bytesAsUser = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/users"))
                .header("Content-Type", "application/octet-stream")
                .POST(BodyPublishers.ofString("{\"email\": \"bytes@example.com\", \"full_name\": \"Bytes\"}")));
        assertProblem("POST /users as application/octet-stream", 415, bytesAsUser);
        Reply latin1 = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/users"))
                .header("Content-Type", "application/json; charset=iso-8859-1")
                .POST(BodyPublishers.ofString("{\"email\": \"latin@example.com\", \"full_name\": \"Latin\"}")));
        assertProblem("POST /users as JSON in ISO-8859-1", 415, latin1);
        Reply upload = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/upload"))
                .header("Content-Type", "application/octet-stream").POST(BodyPublishers.ofString("hello")));
        assertThat(upload.body(), upload.status(), is(200));
    }

    // --- The S3-like store: stored XSS, DELETE, the total cap ---------------------------------

    private static Reply s3(String method, String key, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(SHOWCASE.upstreamUri("/s3/some-bucket/" + key));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return SHOWCASE.send(request.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body)));
    }

    @Test
    void aStoredPageComesBackAsAnInertDownload() {
        String page = "<html><script>fetch('/s3/some-bucket/secret').then(r => r.text())</script></html>";
        Reply put = s3("PUT", "page.html", "text/html", page);
        assertThat(put.body(), put.status(), is(201));
        assertThat(put.header("X-Content-Type-Options"), is("nosniff"));
        Reply get = s3("GET", "page.html", null, null);
        assertThat(get.status(), is(200));
        assertThat("the bytes are kept as sent", get.body(), is(page));
        assertThat("never served as the page it claims to be", get.contentType(), is("application/octet-stream"));
        assertThat("and the browser must not guess", get.header("X-Content-Type-Options"), is("nosniff"));
        assertThat(String.valueOf(get.header("Content-Disposition")), containsString("attachment"));
        assertThat(s3("DELETE", "page.html", null, null).status(), is(204));
    }

    @Test
    void deleteFreesTheStoreAndItsCapIsA507Problem() {
        String twoKiB = "x".repeat(2048);
        assertThat(s3("PUT", "first", "application/octet-stream", twoKiB).status(), is(201));
        assertThat(s3("PUT", "second", "application/octet-stream", twoKiB).status(), is(201));
        Reply full = s3("PUT", "third", "application/octet-stream", twoKiB);
        assertProblem("a PUT past upstream.s3.max-total-bytes", 507, full);
        assertThat(full.json().getJsonNumber("maxTotalBytes").longValue(), is(4096L));
        assertThat("a refused PUT stores nothing", s3("GET", "third", null, null).status(), is(404));

        assertThat(s3("DELETE", "first", null, null).status(), is(204));
        assertThat("deleted is gone", s3("GET", "first", null, null).status(), is(404));
        assertProblem("deleting twice", 404, s3("DELETE", "first", null, null));
        assertThat("its bytes are free again", s3("PUT", "third", "application/octet-stream", twoKiB).status(), is(201));
        assertThat("overwriting counts only the difference",
                s3("PUT", "third", "application/octet-stream", twoKiB).status(), is(201));
        assertThat(s3("DELETE", "second", null, null).status(), is(204));
        assertThat(s3("DELETE", "third", null, null).status(), is(204));
    }
}
