package dev.loomshowcase;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Burst;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * Virtual threads move the bottleneck to the connection pool: with a pool of K, at most K
 * queries run at once, the others wait for a connection (and the response says how long).
 * Past the pool's connection timeout the wait ends in a 503: {@link ExhaustedDbPoolTest}.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings("db.connection.maximumPoolSize=5")
class DbPoolTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @Test
    void twentyQueriesOnAPoolOfFiveRunInWaves() throws Exception {
        SHOWCASE.burst(5, "/db/virtual?ms=1");
        long one = SHOWCASE.burst(1, "/db/virtual?ms=300").makespanMs();
        Burst twenty = SHOWCASE.burst(20, "/db/virtual?ms=300");
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

    @Test
    void reactiveSaysJdbcWasOffloaded() {
        Reply reply = SHOWCASE.get("/db/reactive?ms=10");
        assertThat(reply.status(), is(200));
        assertThat(reply.json().getJsonObject("result").getString("note"), containsString("no non-blocking API"));
        assertThat(reply.json().getString("thread"), containsString("jdbc-offload"));
    }

    @Test
    void platformStyleReportsThePoolSizeInForce() {
        // The platform-thread pool, not the connection pool: application.yaml's 10.
        Reply reply = SHOWCASE.get("/sleep/platform?ms=1");
        assertThat(reply.json().getInt("poolSize"), is(10));
    }
}
