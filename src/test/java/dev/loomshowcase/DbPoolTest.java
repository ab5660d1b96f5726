package dev.loomshowcase;

import java.util.Map;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Burst;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * Virtual threads move the bottleneck to the connection pool: with a pool of K, at most K
 * queries run at once, the others wait for a connection (and the response says how long);
 * past the pool's connection timeout the wait ends in a 503, not a hang.
 */
class DbPoolTest {

    @Test
    void twentyQueriesOnAPoolOfFiveRunInWaves() throws Exception {
        try (RunningShowcase showcase = RunningShowcase.with(Map.of("db.connection.maximumPoolSize", "5"))) {
            showcase.burst(5, "/db/virtual?ms=1");
            long one = showcase.burst(1, "/db/virtual?ms=300").makespanMs();
            Burst twenty = showcase.burst(20, "/db/virtual?ms=300");
            assertThat("no request may fail", twenty.failures(), is(0L));
            assertThat("20 queries on 5 connections run in 4 waves: " + twenty.makespanMs() + " ms vs one " + one + " ms",
                    twenty.makespanMs(), greaterThanOrEqualTo(3 * one));
            long longestWait = twenty.replies().stream()
                    .mapToLong(r -> r.json().getJsonObject("result").getJsonNumber("waitedForConnectionMs").longValue())
                    .max().orElseThrow();
            assertThat("the last wave waited about 3 × 300 ms for a connection: " + longestWait,
                    longestWait, greaterThanOrEqualTo(500L));
            assertThat(twenty.replies().getFirst().json().getJsonObject("result").getInt("poolSize"), is(5));
        }
    }

    @Test
    void exhaustedPoolEndsIn503AfterTheConnectionTimeout() throws Exception {
        try (RunningShowcase showcase = RunningShowcase.with(Map.of(
                "db.connection.maximumPoolSize", "1",
                "db.connection.connectionTimeout", "250"))) {
            Burst burst = showcase.burst(3, "/db/virtual?ms=1500");
            Reply refused = burst.replies().stream().filter(r -> r.status() == 503).findFirst()
                    .orElseThrow(() -> new AssertionError("expected a 503, got " + burst.replies()));
            assertThat(refused.contentType(), containsString("application/problem+json"));
            assertThat(refused.header("Retry-After"), is("1"));
            assertThat("one query had the connection", burst.replies().stream().filter(r -> r.status() == 200).count(),
                    greaterThanOrEqualTo(1L));
            assertThat("the pool works again afterwards", showcase.get("/db/virtual?ms=1").status(), is(200));
        }
    }

    @Test
    void reactiveSaysJdbcWasOffloaded() {
        Reply reply = RunningShowcase.shared().get("/db/reactive?ms=10");
        assertThat(reply.status(), is(200));
        assertThat(reply.json().getJsonObject("result").getString("note"), containsString("no non-blocking API"));
        assertThat(reply.json().getString("thread"), containsString("jdbc-offload"));
    }

    @Test
    void platformStyleReportsThePoolSizeInForce() {
        Reply reply = RunningShowcase.shared().get("/sleep/platform?ms=1");
        assertThat(reply.json().getInt("poolSize"), is(10));
    }
}
