package dev.loomshowcase;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.StillServing;
import dev.loomshowcase.web.RequestBodies;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * JSON bodies are read strictly, on every JSON route of both sockets: invalid UTF-8, a repeated
 * key, or anything after the object is a 400, so two different byte strings never become one
 * value. Emails have one spelling (NFC, lower case), no invisible characters, and every created
 * user can be read and deleted at its own {@code Location}. What held before still holds: one 201
 * for many concurrent creates of one address, and the 1 MiB cap exact to the byte.
 */
@ServerTest(pinningDetection = true)
@RunsBesideOthers
class StrictInputTest {

    private static RunningShowcase SHOWCASE;
    /** Each JSON route, with a body it accepts; the tests spoil that body. */
    private static final String[][] JSON_ROUTES = {
            {"main", "/users", "{\"email\": \"strict@example.com\", \"full_name\": \"Strict\"}"},
            {"main", "/jobs", "{\"kind\": \"process-data\", \"message\": \"strict\", \"steps\": 1, \"stepMs\": 0}"},
            {"upstream", "/hf/models/m", "{\"inputs\": \"strict\"}"},
            {"upstream", "/runpod/run", "{\"input\": {\"prompt\": \"strict\"}}"}};

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @AfterEach
    void serverStillAnswersQuickly() {
        StillServing.assertWhoamiWithin100Ms(SHOWCASE);
    }

    private static Reply postJson(String socket, String path, byte[] body) {
        URI uri = socket.equals("main") ? SHOWCASE.uri(path) : SHOWCASE.upstreamUri(path);
        return SHOWCASE.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofByteArray(body)));
    }

    private static Reply postUser(String email) {
        return SHOWCASE.post("/users", "{\"email\": " + jsonString(email) + ", \"full_name\": \"Someone\"}");
    }

    /** A JSON string literal, escaping what JSON must (so a NUL reaches the server as the character). */
    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c < 0x20 || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    private static void assert400(String what, Reply reply) {
        assertThat(what + " → " + reply.body(), reply.status(), is(400));
        assertThat(what, String.valueOf(reply.contentType()), containsString("application/problem+json"));
    }

    private static byte[] bytes(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : parts) {
            out.writeBytes(part.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    @Test
    void theBodiesUsedHereAreAccepted() {
        for (String[] route : JSON_ROUTES) {
            Reply reply = postJson(route[0], route[1], (route[2] + " \r\n\t").getBytes(StandardCharsets.UTF_8));
            assertThat(route[1] + " with trailing whitespace → " + reply.body(), reply.status() / 100, is(2));
        }
        assertThat(SHOWCASE.delete("/users/strict@example.com").status(), is(204));
    }

    @Test
    void invalidUtf8Is400OnEveryJsonRoute() {
        // A lone continuation byte, a cut-off sequence, an overlong '/', a UTF-16 surrogate, past U+10FFFF.
        for (String bad : new String[] {"\u0080", "\u00c3(", "\u00c0\u00af", "\u00ed\u00a0\u0080", "\u00f4\u0090\u0080\u0080"}) {
            for (String[] route : JSON_ROUTES) {
                String body = route[2];
                int quote = body.lastIndexOf('"');
                byte[] spoiled = bytes(body.substring(0, quote), bad, body.substring(quote));
                assert400(route[1] + " with bytes " + bad.chars().mapToObj(Integer::toHexString).toList(),
                        postJson(route[0], route[1], spoiled));
            }
        }
        assertThat("no user was stored", SHOWCASE.get("/users/strict@example.com").status(), is(404));
    }

    @Test
    void dataAfterTheObjectIs400OnEveryJsonRoute() {
        for (String trailing : new String[] {" x", "{}", " {\"email\": \"other@example.com\"}", ",", "]", " 1", " null"}) {
            for (String[] route : JSON_ROUTES) {
                assert400(route[1] + " followed by '" + trailing + "'",
                        postJson(route[0], route[1], (route[2] + trailing).getBytes(StandardCharsets.UTF_8)));
            }
        }
        assertThat("no user was stored", SHOWCASE.get("/users/strict@example.com").status(), is(404));
    }

    @Test
    void aRepeatedKeyIs400EvenNested() {
        assert400("a repeated email", SHOWCASE.post("/users",
                "{\"email\": \"first@example.com\", \"email\": \"second@example.com\", \"full_name\": \"Twice\"}"));
        assertThat(SHOWCASE.get("/users/first@example.com").status(), is(404));
        assertThat(SHOWCASE.get("/users/second@example.com").status(), is(404));
        assert400("a repeated kind", SHOWCASE.post("/jobs", "{\"kind\": \"cpu\", \"kind\": \"process-data\"}"));
        assert400("a key repeated inside runpod's input", postJson("upstream", "/runpod/run",
                "{\"input\": {\"prompt\": \"a\", \"prompt\": \"b\"}}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theNfcAndNfdSpellingsOfAnEmailAreOneUser() {
        String nfc = Normalizer.normalize("josé.müller@example.com", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize(nfc, Normalizer.Form.NFD);
        assertThat("the two spellings differ", nfc.equals(nfd), is(false));
        Reply created = postUser(nfd);
        assertThat(created.body(), created.status(), is(201));
        assertThat("stored as NFC", created.json().getString("email"), is(nfc));
        assertThat("the other spelling is the same user", postUser(nfc).status(), is(409));
        assertThat("found by either spelling",
                SHOWCASE.get("/users/" + URLEncoder.encode(nfd, StandardCharsets.UTF_8)).status(), is(200));
        assertThat(SHOWCASE.delete(created.header("Location")).status(), is(204));
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(strings = {"0000", "0007", "001B", "007F", "0085", "202A", "202B", "202C", "202D", "202E", "2066", "2067",
            "2068", "2069", "200E", "200F", "061C", "200B", "FEFF", "00A0", "2028"})
    void invisibleCharactersInAnEmailAre400NamingTheField(String hex) {
        String character = Character.toString(Integer.parseInt(hex, 16));
        for (String email : new String[] {"ev" + character + "il@example.com", "evil@exa" + character + "mple.com"}) {
            Reply reply = postUser(email);
            assert400("an email with U+" + hex, reply);
            assertThat(reply.json().getString("field"), is("email"));
        }
    }

    @Test
    void aSlashInAnEmailIs400() {
        for (String email : new String[] {"a/b@example.com", "ab@exa/mple.com", "../x@example.com"}) {
            Reply reply = postUser(email);
            assert400(email, reply);
            assertThat(reply.json().getString("field"), is("email"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a+b", "a%b", "a%2Fb", "a?b", "a#b", "a;b", "a&b", "a=b", "o'hara", "a\\b", "a..b", "{a}",
            "~a", "*", "a!b", "a$b", "a|b", "a^b", "`a`", "a,b", "a:b", "[a]", "<a>", "\"a\"", "ünï", "日本"})
    void everyCreatedUserIsReadableAndDeletableAtItsLocation(String local) {
        // Characters a path treats specially (%, ?, #, ;, \, +) are encoded in Location, and read back.
        Reply created = postUser(local + "@example.com");
        assertThat(created.body(), created.status(), is(201));
        String location = created.header("Location");
        Reply read = SHOWCASE.get(location);
        assertThat("GET " + location + " → " + read.body(), read.status(), is(200));
        assertThat(read.json().getString("email"), is(created.json().getString("email")));
        assertThat("DELETE " + location, SHOWCASE.delete(location).status(), is(204));
        assertThat("gone", SHOWCASE.get(location).status(), is(404));
    }

    @Test
    void manyConcurrentCreatesOfOneEmailGiveExactlyOne201() throws Exception {
        String nfc = Normalizer.normalize("concurrent.é@example.com", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize(nfc, Normalizer.Form.NFD);
        int writers = 20;
        CountDownLatch go = new CountDownLatch(1);
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                // Half of them spell it NFD, half upper-case: one address all the same.
                String email = i % 2 == 0 ? nfd : nfc.toUpperCase(java.util.Locale.ROOT);
                futures.add(threads.submit(() -> {
                    go.await();
                    return postUser(email).status();
                }));
            }
            go.countDown();
            for (Future<Integer> future : futures) {
                statuses.add(future.get());
            }
        }
        assertThat("statuses " + statuses, statuses.stream().filter(s -> s == 201).count(), is(1L));
        assertThat("statuses " + statuses, statuses.stream().filter(s -> s == 409).count(), is((long) writers - 1));
        assertThat(SHOWCASE.delete("/users/" + URLEncoder.encode(nfc, StandardCharsets.UTF_8)).status(), is(204));
    }

    @Test
    void theJsonCapIsExactToTheByte() {
        String head = "{\"email\": \"cap@example.com\", \"full_name\": \"Cap\"";
        String exact = head + " ".repeat(RequestBodies.MAX_JSON_BYTES - head.length() - 1) + "}";
        assertThat(exact.length(), is(RequestBodies.MAX_JSON_BYTES));
        Reply atCap = SHOWCASE.post("/users", exact);
        assertThat("exactly 1 MiB is read: " + atCap.body(), atCap.status(), is(201));
        Reply overCap = SHOWCASE.post("/users", " " + exact);
        assertThat("one byte more is 413: " + overCap.body(), overCap.status(), is(413));
        assertThat(SHOWCASE.delete("/users/cap@example.com").status(), is(204));
    }
}
