package dev.loomshowcase;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.loomshowcase.support.RawHttp;
import dev.loomshowcase.support.RawHttp.Answer;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.StillServing;
import dev.loomshowcase.support.Scrape;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The bounds that keep a listener alive: connections per socket ({@code max-tcp-connections})
 * and upstream calls in flight across all requests ({@code upstream.max-in-flight}). Both are
 * small here, so that reaching them takes a few hundred sockets, far from the open-file limit
 * this JVM shares with the server. After each test the server still answers {@code /whoami}
 * within 100 ms.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings({"server.max-tcp-connections=200", "upstream.socket.max-tcp-connections=200",
        "upstream.max-in-flight=20", "server.idle-connection-timeout=PT1M", "upstream.socket.idle-connection-timeout=PT1M"})
class ResourceBoundsTest {

    private static final int MAX_CONNECTIONS = 200;
    private static final int MAX_IN_FLIGHT = 20;
    private static final Duration STATE = Duration.ofSeconds(10);

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @AfterEach
    void theServerStillAnswersQuickly() {
        StillServing.assertWhoamiWithin100Ms(SHOWCASE);
    }

    @ParameterizedTest(name = "{0} socket")
    @ValueSource(strings = {"main", "upstream"})
    void connectionsPastTheBoundWaitUntilOthersCloseAndTheListenerLives(String socket) throws Exception {
        int port = socket.equals("main") ? SHOWCASE.showcase().port() : SHOWCASE.showcase().upstreamPort();
        String request = "GET " + (socket.equals("main") ? "/whoami" : "/delay") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        List<Socket> connections = new ArrayList<>();
        try {
            // Past the bound the kernel still completes the connect (the accept queue, server.backlog): only the
            // answer shows which connections Helidon took.
            for (int i = 0; i < MAX_CONNECTIONS + 20; i++) {
                Socket connection = RawHttp.connect(port);
                RawHttp.write(connection, request);
                connections.add(connection);
            }
            List<Socket> served = new ArrayList<>();
            List<Socket> waiting = new ArrayList<>();
            for (Socket connection : connections) {
                // The ones Helidon took answer in milliseconds; the last ones read were sent a while ago.
                Answer answer = RawHttp.readAnswer(connection, Duration.ofMillis(served.size() < MAX_CONNECTIONS - 10 ? 5_000 : waiting.isEmpty() ? 300 : 20));
                (answer.status() == 200 ? served : waiting).add(connection);
            }
            // The test's own HTTP client may hold a kept-alive connection of the same socket.
            assertThat("at most the bound is served at once", served.size(),
                    allOf(greaterThanOrEqualTo(MAX_CONNECTIONS - 5), lessThanOrEqualTo(MAX_CONNECTIONS)));
            assertThat(waiting.size(), greaterThanOrEqualTo(20));

            for (Socket connection : served) {
                connection.close();
            }
            for (Socket connection : waiting) {
                Answer answer = RawHttp.readAnswer(connection, Duration.ofSeconds(5));
                assertThat("a waiting connection is served once others close: " + answer.text(), answer.status(), is(200));
            }
        } finally {
            for (Socket connection : connections) {
                connection.close();
            }
        }
    }

    @Test
    void upstreamCallsPastTheBoundAre503WithRetryAfterAndShowInTheMetrics() throws Exception {
        double refusedBefore = Scrape.of(SHOWCASE).value("showcase_upstream_refused_total");
        assertThat(Scrape.of(SHOWCASE).value("showcase_upstream_max_in_flight"), is((double) MAX_IN_FLIGHT));
        // One fan-out takes every place for a while.
        CompletableFuture<Reply> wide = CompletableFuture.supplyAsync(
                () -> SHOWCASE.get("/fanout/structured?calls=" + MAX_IN_FLIGHT + "&ms=3000"));
        try {
            Scrape.await("every place taken", STATE,
                    () -> Scrape.of(SHOWCASE).value("showcase_upstream_in_flight") == MAX_IN_FLIGHT);
            for (String path : List.of("/http/virtual?ms=0", "/http/reactive?ms=0", "/fanout/futures?calls=2&ms=0")) {
                Reply refused = SHOWCASE.get(path);
                assertThat(path + ": " + refused.body(), refused.status(), is(503));
                assertThat(refused.header("Retry-After"), is("1"));
                assertThat(refused.contentType(), is("application/problem+json"));
                assertThat(refused.body(), containsString("upstream.max-in-flight"));
                assertThat("refused at once, not after a wait", refused.elapsedMs(), lessThan(2_000L));
            }
            assertThat(Scrape.of(SHOWCASE).value("showcase_upstream_refused_total"), greaterThanOrEqualTo(refusedBefore + 3));
        } finally {
            assertThat("the wide fan-out itself was served", wide.join().status(), is(200));
        }
        assertThat("a place again once the calls end", SHOWCASE.get("/http/virtual?ms=0").status(), is(200));
    }
}
