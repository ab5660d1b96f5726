package dev.loomshowcase;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.Scrape;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/**
 * {@code GET /observe/health}: Helidon's liveness checks and the showcase's readiness check (a
 * ping through the database pool), with details. A pool of one connection with a short timeout
 * lets a test hold the database busy and see readiness go down, then up again.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings({"db.connection.maximumPoolSize=1", "db.connection.connectionTimeout=1000"})
class HealthTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private static List<String> checks(Reply reply) {
        return reply.json().getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .map(check -> check.getString("name"))
                .toList();
    }

    private static JsonObject check(Reply reply, String name) {
        return reply.json().getJsonArray("checks").stream()
                .map(JsonValue::asJsonObject)
                .filter(check -> check.getString("name").equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + reply.body()));
    }

    @Test
    void everyCheckIsUpWithDetails() {
        Reply all = SHOWCASE.get("/observe/health");
        assertThat(all.body(), all.status(), is(200));
        assertThat(all.contentType(), containsString("application/json"));
        assertThat(all.json().getString("status"), is("UP"));
        assertThat(checks(all), hasItems("database", "deadlock", "heapMemory", "diskSpace"));
    }

    @Test
    void livenessIsTheJvmAndReadinessTheDatabase() {
        Reply live = SHOWCASE.get("/observe/health/live");
        assertThat(live.body(), live.status(), is(200));
        assertThat("liveness does not ask the database: " + live.body(), checks(live).contains("database"), is(false));
        Reply ready = SHOWCASE.get("/observe/health/ready");
        assertThat(ready.body(), ready.status(), is(200));
        assertThat(checks(ready), is(List.of("database")));
        assertThat(check(ready, "database").getString("status"), is("UP"));
    }

    @Test
    void notReadyWhileNoConnectionCanBeHad() throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // The pool's only connection, held for 4 s by a query that sleeps inside H2.
            CompletableFuture<Reply> busy = CompletableFuture.supplyAsync(() -> SHOWCASE.get("/db/virtual?ms=4000"), threads);
            Scrape.await("the query holds the pool's one connection", Duration.ofSeconds(10),
                    () -> Scrape.of(SHOWCASE).value("showcase_db_connections_active") == 1);
            Reply ready = SHOWCASE.get("/observe/health/ready");
            assertThat("no connection within the pool's 1 s timeout: not ready. " + ready.body(), ready.status(), is(503));
            assertThat(check(ready, "database").getString("status"), is("DOWN"));
            assertThat("liveness does not depend on the database", SHOWCASE.get("/observe/health/live").status(), is(200));
            assertThat(busy.get().status(), is(200));
        }
        assertThat("ready again once the connection is back", SHOWCASE.get("/observe/health/ready").status(), is(200));
    }
}
