package dev.loomshowcase;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.loomshowcase.support.Jobs;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.Scrape;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * {@code GET /observe/metrics}: Helidon's virtual-thread meters and the showcase's own, which
 * follow the live pools, the JDBC pool, the jobs and the upstream calls. Small pools (2 platform
 * threads and 1 place in their queue, 2 connections, 1 I/O job at a time) make every state easy
 * to reach and to wait for.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings({"app.platform-pool.size=2", "app.platform-pool.queue=1", "db.connection.maximumPoolSize=2",
        "app.jobs.io-concurrency=1"})
class MetricsTest {

    private static final Duration STATE = Duration.ofSeconds(10);
    private static final List<String> POOLS = List.of("platform-pool", "cpu-pool", "event-loop", "jdbc-offload", "jobs-cpu");

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private static double meter(String name, String... labels) {
        return Scrape.of(SHOWCASE).value(name, labels);
    }

    private static String pool(String name) {
        return "pool=\"" + name + "\"";
    }

    @Test
    void prometheusTextHasTheVirtualThreadMetersAndTheShowcasesOwn() {
        Reply reply = SHOWCASE.get("/observe/metrics");
        assertThat(reply.status(), is(200));
        assertThat(reply.contentType(), containsString("text/plain"));
        Scrape scrape = new Scrape(reply.body());
        for (String name : List.of("vthreads_count", "vthreads_starts", "vthreads_pinned",
                "vthreads_recentPinned_seconds_count", "vthreads_submitFailures")) {
            assertThat(name + " is served", scrape.has(name, "scope=\"base\""), is(true));
        }
        for (String pool : POOLS) {
            for (String name : List.of("showcase_pool_size", "showcase_pool_active", "showcase_pool_queued",
                    "showcase_pool_rejected_total")) {
                assertThat(name + " of " + pool, scrape.has(name, pool(pool)), is(true));
            }
        }
        for (String name : List.of("showcase_db_connections_active", "showcase_db_connections_idle",
                "showcase_db_connections_pending", "showcase_jobs_io_running", "showcase_jobs_io_queued",
                "showcase_upstream_in_flight")) {
            assertThat(name + " is served", scrape.has(name, "scope=\"application\""), is(true));
        }
        assertThat("the class's pool size", scrape.value("showcase_pool_size", pool("platform-pool")), is(2.0));
    }

    @Test
    void jsonOnRequest() {
        Reply reply = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/observe/metrics")).header("Accept", "application/json"));
        assertThat(reply.status(), is(200));
        assertThat(reply.contentType(), containsString("application/json"));
        JsonObject json = reply.json();
        assertThat(reply.body(), json.getJsonObject("base").containsKey("vthreads.pinned"), is(true));
        assertThat(reply.body(), json.getJsonObject("application").getJsonNumber("showcase.pool.size;pool=platform-pool")
                .intValue(), is(2));
    }

    @Test
    void poolMetersFollowThePlatformPool() throws Exception {
        double rejectedBefore = meter("showcase_pool_rejected_total", pool("platform-pool"));
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // Two run, one waits in the queue of one, and the fourth is refused with 503.
            List<CompletableFuture<Reply>> sleeps = List.of(1, 2, 3, 4).stream()
                    .map(i -> CompletableFuture.supplyAsync(() -> SHOWCASE.get("/sleep/platform?ms=1500"), threads))
                    .toList();
            Scrape.await("2 active, 1 queued, 1 more rejected", STATE, () -> {
                Scrape now = Scrape.of(SHOWCASE);
                return now.value("showcase_pool_active", pool("platform-pool")) == 2
                        && now.value("showcase_pool_queued", pool("platform-pool")) == 1
                        && now.value("showcase_pool_rejected_total", pool("platform-pool")) == rejectedBefore + 1;
            });
            List<Integer> statuses = sleeps.stream().map(CompletableFuture::join).map(Reply::status).sorted().toList();
            assertThat(statuses, is(List.of(200, 200, 200, 503)));
        }
        Scrape.await("the pool is idle again", STATE,
                () -> meter("showcase_pool_active", pool("platform-pool")) == 0
                        && meter("showcase_pool_queued", pool("platform-pool")) == 0);
    }

    @Test
    void connectionAndUpstreamMetersFollowTheirCalls() throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // Three queries for two connections: one waits; two upstream calls in flight meanwhile.
            List<CompletableFuture<Reply>> calls = List.of("/db/virtual?ms=1500", "/db/virtual?ms=1500",
                            "/db/virtual?ms=1500", "/http/virtual?ms=1500", "/http/virtual?ms=1500").stream()
                    .map(path -> CompletableFuture.supplyAsync(() -> SHOWCASE.get(path), threads))
                    .toList();
            Scrape.await("2 connections active, 1 thread waiting for one, 2 upstream calls in flight", STATE, () -> {
                Scrape now = Scrape.of(SHOWCASE);
                return now.value("showcase_db_connections_active") == 2
                        && now.value("showcase_db_connections_pending") == 1
                        && now.value("showcase_upstream_in_flight") == 2;
            });
            calls.forEach(call -> assertThat(call.join().status(), is(200)));
        }
        Scrape.await("nothing in use or in flight afterwards", STATE, () -> {
            Scrape now = Scrape.of(SHOWCASE);
            return now.value("showcase_db_connections_active") == 0 && now.value("showcase_db_connections_pending") == 0
                    && now.value("showcase_upstream_in_flight") == 0;
        });
    }

    @Test
    void jobMetersCountRunningAndWaitingIoJobs() throws Exception {
        String body = "{\"kind\": \"process-data\", \"message\": \"m\", \"steps\": 1, \"stepMs\": 30000}";
        String first = Jobs.submit(SHOWCASE, body).getString("id");
        String second = Jobs.submit(SHOWCASE, body).getString("id");
        Scrape.await("1 I/O job running, 1 waiting for the only place", STATE,
                () -> meter("showcase_jobs_io_running") == 1 && meter("showcase_jobs_io_queued") == 1);
        assertThat(SHOWCASE.delete("/jobs/" + second).status(), is(200));
        assertThat(SHOWCASE.delete("/jobs/" + first).status(), is(200));
        Scrape.await("no I/O job left", STATE,
                () -> meter("showcase_jobs_io_running") == 0 && meter("showcase_jobs_io_queued") == 0);
    }

    @Test
    void meterNamesFollowTheNewestOpenShowcaseAndLeaveAClosedOne() {
        assertThat(meter("showcase_pool_size", pool("platform-pool")), is(2.0));
        try (RunningShowcase other = RunningShowcase.with(Map.of("app.platform-pool.size", "7"))) {
            // One registry per JVM: the newest showcase's gauges answer, here as on the other's socket.
            assertThat(meter("showcase_pool_size", pool("platform-pool")), is(7.0));
            assertThat(Scrape.of(other).value("showcase_pool_size", pool("platform-pool")), is(7.0));
        }
        assertThat("closed, the other showcase's gauges are gone and this one's are back",
                meter("showcase_pool_size", pool("platform-pool")), is(2.0));
    }
}
