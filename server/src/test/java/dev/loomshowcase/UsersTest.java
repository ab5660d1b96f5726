package dev.loomshowcase;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Users CRUD over a real H2 through helidon-dbclient: status codes, validation, parameters
 * bound (never concatenated), pagination edges, the CSV export, and persistence of the file
 * database across a restart.
 */
@ServerTest(pinningDetection = true)
@RunsBesideOthers
class UsersTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private static Reply post(RunningShowcase showcase, String body) {
        return showcase.send(HttpRequest.newBuilder(showcase.uri("/users"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body)));
    }

    private static Reply delete(String path) {
        return SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri(path)).DELETE());
    }

    @Test
    void createReadDelete() {
        Reply created = post(SHOWCASE, "{\"email\": \"Grace@Example.com\", \"full_name\": \"Grace Hopper\"}");
        assertThat(created.body(), created.status(), is(201));
        assertThat(created.header("Location"), is("/users/grace%40example.com"));
        assertThat("emails are stored lower-case", created.json().getString("email"), is("grace@example.com"));
        assertThat(created.json().getString("full_name"), is("Grace Hopper"));

        Reply again = post(SHOWCASE, "{\"email\": \"grace@example.com\", \"full_name\": \"Someone Else\"}");
        assertThat("a duplicate email is a conflict", again.status(), is(409));
        assertThat(again.contentType(), containsString("application/problem+json"));

        Reply read = SHOWCASE.get("/users/grace@example.com");
        assertThat(read.status(), is(200));
        assertThat("the conflict changed nothing", read.json().getString("full_name"), is("Grace Hopper"));

        assertThat(delete("/users/grace@example.com").status(), is(204));
        assertThat(SHOWCASE.get("/users/grace@example.com").status(), is(404));
        assertThat("deleting twice is a 404", delete("/users/grace@example.com").status(), is(404));
    }

    @Test
    void badBodiesAre400() {
        for (String body : new String[] {
                "{\"email\": \"not-an-email\", \"full_name\": \"x\"}",
                "{\"email\": \"a@b\", \"full_name\": \"x\"}",
                "{\"email\": \"x'; DROP TABLE users;--\", \"full_name\": \"x\"}",
                "{\"email\": \"ok@example.com\"}",
                "{\"email\": \"ok@example.com\", \"full_name\": \"\"}",
                "{\"email\": \"ok@example.com\", \"full_name\": \"" + "x".repeat(201) + "\"}",
                "{\"email\": 42, \"full_name\": \"x\"}",
                "{\"email\": \"ok@example.com\", \"full_name\": ",
                "[]",
                ""}) {
            Reply reply = post(SHOWCASE, body);
            assertThat(body + " → " + reply.body(), reply.status(), is(400));
            assertThat(reply.contentType(), containsString("application/problem+json"));
        }
        assertThat("nothing was stored", SHOWCASE.get("/users/ok@example.com").status(), is(404));
    }

    @Test
    void oversizedJsonBodyIs413() {
        Reply reply = post(SHOWCASE, "{\"email\": \"big@example.com\", \"full_name\": \"" + "x".repeat(2 << 20) + "\"}");
        assertThat(reply.status(), is(413));
        assertThat(reply.contentType(), containsString("application/problem+json"));
        assertThat(SHOWCASE.get("/users/big@example.com").status(), is(404));
    }

    @Test
    void quotesInValuesAreDataNotSql() {
        Reply created = post(SHOWCASE, "{\"email\": \"o'brien@example.com\", \"full_name\": \"Robert'); DROP TABLE users;--\"}");
        assertThat(created.body(), created.status(), is(201));
        JsonObject read = SHOWCASE.get("/users/o'brien@example.com").json();
        assertThat(read.getString("full_name"), is("Robert'); DROP TABLE users;--"));
        assertThat("the table is still there", SHOWCASE.get("/users?page=1").status(), is(200));
    }

    @Test
    void paginationHasTotalsLinksAndEdges() {
        for (int i = 0; i < 5; i++) {
            assertThat(post(SHOWCASE, "{\"email\": \"page" + i + "@example.org\", \"full_name\": \"P " + i + "\"}").status(), is(201));
        }
        JsonObject first = SHOWCASE.get("/users?page=1&size=2").json();
        long total = first.getJsonNumber("total").longValue();
        assertThat(first.getJsonArray("items").size(), is(2));
        assertThat(first.getString("next"), is("/users?page=2&size=2"));
        assertThat(first.get("prev").getValueType().toString(), is("NULL"));

        long lastPage = (total + 1) / 2;
        JsonObject last = SHOWCASE.get("/users?page=" + lastPage + "&size=2").json();
        assertThat(last.get("next").getValueType().toString(), is("NULL"));
        assertThat(last.getString("prev"), is("/users?page=" + (lastPage - 1) + "&size=2"));

        JsonObject beyond = SHOWCASE.get("/users?page=999&size=2").json();
        assertThat("past the end: an empty page, not an error", beyond.getJsonArray("items").size(), is(0));
        assertThat(SHOWCASE.get("/users?size=100").status(), is(200));
        assertThat(SHOWCASE.get("/users?size=101").status(), is(400));
        assertThat(SHOWCASE.get("/users?page=0").status(), is(400));
    }

    @Test
    void csvExportQuotesAndDefusesFields() {
        post(SHOWCASE, "{\"email\": \"csv@example.com\", \"full_name\": \"=HYPERLINK(\\\"x\\\"), Jr\"}");
        Reply csv = SHOWCASE.get("/users/export.csv");
        assertThat(csv.status(), is(200));
        assertThat(csv.contentType(), containsString("text/csv"));
        assertThat(csv.body(), containsString("email,full_name,created_at\n"));
        assertThat("quoted, doubled quotes, formula defused", csv.body(),
                containsString("csv@example.com,\"'=HYPERLINK(\"\"x\"\"), Jr\","));
    }

    @Test
    void userWithExternalDataJoinsDbAndUpstream() {
        post(SHOWCASE, "{\"email\": \"ext@example.com\", \"full_name\": \"Ext User\"}");
        Reply reply = SHOWCASE.get("/users/ext@example.com/with-external-data");
        assertThat(reply.body(), reply.status(), is(200));
        JsonObject json = reply.json();
        assertThat(json.getJsonObject("user").getString("email"), is("ext@example.com"));
        assertThat(json.getJsonObject("inference").getString("model"), is("distilbert-sst2"));
        assertThat(json.getJsonObject("recommendations").getInt("delayMs"), is(200));
        assertThat(SHOWCASE.get("/users/nobody@example.com/with-external-data").status(), is(404));
    }

    @Test
    void fileDatabaseKeepsUsersAcrossARestart() throws Exception {
        Path folder = Files.createTempDirectory("showcase-db");
        Map<String, String> fileDb = Map.of("app.database.in-memory", "false",
                "db.connection.url", "jdbc:h2:file:" + folder.resolve("showcase") + ";DATABASE_TO_LOWER=TRUE");
        // Two showcases one after the other on one file: @ServerTest starts one per class, so these start their own.
        try (RunningShowcase first = RunningShowcase.with(fileDb)) {
            assertThat(post(first, "{\"email\": \"kept@example.com\", \"full_name\": \"Kept\"}").status(), is(201));
        }
        try (RunningShowcase second = RunningShowcase.with(fileDb)) {
            Reply read = second.get("/users/kept@example.com");
            assertThat("the user survived the restart", read.status(), is(200));
            assertThat(read.json().getString("full_name"), is("Kept"));
        }
        assertThat(Files.exists(folder.resolve("showcase.mv.db")), is(true));
    }

    @Test
    void unknownUserIs404Problem() {
        Reply reply = SHOWCASE.get("/users/missing@example.com");
        assertThat(reply.status(), is(404));
        assertThat(reply.contentType(), containsString("application/problem+json"));
        assertThat(reply.json().getString("detail"), containsString("missing@example.com"));
    }
}
