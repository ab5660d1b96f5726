package dev.loomshowcase;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Burst;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * A connection pool of one with a 250 ms connection timeout: a query that waits longer for the
 * connection ends in a 503 problem+json with {@code Retry-After}, not a hang.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings({
        "db.connection.maximumPoolSize=1",
        "db.connection.connectionTimeout=250"})
class ExhaustedDbPoolTest {

    @Test
    void exhaustedPoolEndsIn503AfterTheConnectionTimeout(RunningShowcase showcase) throws Exception {
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
