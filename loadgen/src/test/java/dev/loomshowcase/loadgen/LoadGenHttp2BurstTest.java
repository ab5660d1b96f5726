package dev.loomshowcase.loadgen;

import java.nio.file.Path;

import dev.loomshowcase.support.RunningShowcase;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The generator's HTTP/2 burst ({@code burst --http2 --connections K}): the same JSON as an
 * HTTP/1.1 burst, with its connections and the server's RSS per request in flight.
 *
 * <p>No pinning detection here, unlike LoadGeneratorTest: the generator's own client (Helidon's
 * HTTP/2 client, in this JVM beside the server) pins a carrier for a few ms while its connection
 * threads load its classes at once. The showcase's routes over h2c are checked for pins by the
 * server's Http2Test.
 */
@Timeout(120)
@ServerTest
class LoadGenHttp2BurstTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @TempDir
    Path folder;

    private static String url(String pathAndQuery) {
        return SHOWCASE.uri(pathAndQuery).toString();
    }

    @Test
    void http2BurstWritesTheBurstJsonWithItsConnectionsAndRssPerRequest() throws Exception {
        Path file = folder.resolve("h2.json");
        GeneratorRun outcome = GeneratorRun.of("burst", "--http2", "--connections", "4", "--url", url("/sleep/virtual?ms=300"), "-n", "200",
                "--server-pid", String.valueOf(ProcessHandle.current().pid()), "--no-probe", "--json", file.toString());
        assertThat(outcome.out() + outcome.err(), outcome.status(), is(0));
        assertThat(outcome.out(), containsString("over 4 h2c connections"));
        assertThat(outcome.out(), containsString("RSS per request in flight"));
        JsonObject json = GeneratorRun.json(file);
        assertThat(json.getString("mode"), is("burst-h2"));
        assertThat(json.getJsonObject("requests").getInt("answered"), is(200));
        assertThat(json.getJsonObject("requests").getInt("connections"), is(4));
        assertThat(json.getJsonObject("config").getInt("connections"), is(4));
        assertThat(json.getJsonObject("config").getString("protocol"), is("h2c"));
        assertThat(json.getJsonObject("errors").size(), is(0));
        assertThat(json.getJsonNumber("rssPerInFlightBytes").longValue(), greaterThanOrEqualTo(0L));
        assertThat(json.getJsonObject("server").getJsonNumber("startRssBytes").longValue(), greaterThan(0L));
        // 200 sleeps of 300 ms as streams of 4 connections overlap: one after another they take 60 s.
        double makespan = json.getJsonNumber("makespanMs").doubleValue();
        assertThat(makespan, both(greaterThanOrEqualTo(300.0)).and(lessThanOrEqualTo(300.0 * 10)));
    }

}
