package dev.loomshowcase;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.upstream.UpstreamClient;
import dev.loomshowcase.web.Problem;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * A burst leaves many upstream connections idle in WebClient's cache at the same moment, and
 * each one's idle monitor gives up after the read timeout, all at about the same moment too.
 * Calls that take a connection from the cache just then must still be answered: the client tries
 * a WebClient GET again when its connection broke before the read timeout. Without that, the
 * harness measured 29 failed requests out of 100 in such a moment (compare/run, http/platform,
 * when the /http styles still used WebClient; they use the JDK HttpClient now, so this test calls
 * the WebClient GET itself, the users' "recommendations" call, with a read timeout of 1 s).
 * It goes on until it has seen the moment (a GET tried again), so it cannot pass by missing it:
 * when no round meets it, it reports itself skipped, with the reason.
 */
@Timeout(120)
@ServerTest(pinningDetection = true)
class StaleUpstreamConnectionTest {

    /** Where each round starts, after the burst: 775 to 1,100 ms in steps of 25, twice. */
    private static final long[] OFFSETS_MS = java.util.stream.LongStream.range(0, 28).map(i -> 775 + 25 * (i % 14)).toArray();
    private static final int ROUNDS = OFFSETS_MS.length;

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @Test
    void callsAtTheMomentCachedConnectionsExpireAreStillAnswered() throws Exception {
        URI upstream = SHOWCASE.upstreamUri("/");
        UpstreamClient client = new UpstreamClient(() -> upstream, Duration.ofSeconds(2), Duration.ofMillis(1000));
        // One call first: 200 virtual threads loading WebClient's classes at once pin their carriers (JDK 25).
        client.recommendations(0);
        List<String> failures = new ArrayList<>();
        int answered = 0;
        for (int round = 0; round < ROUNDS && client.triedAgain() == 0; round++) {
            // 200 upstream connections, idle from the same moment.
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<UpstreamClient.Reply>> burst = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    burst.add(threads.submit(() -> client.recommendations(50)));
                }
                for (Future<UpstreamClient.Reply> reply : burst) {
                    assertThat(reply.get().delayMs(), is(50L));
                }
            }
            // Just before the monitors give up (1 s), ten threads take connection after connection for
            // 250 ms. Sooner, they touch every idle connection before its monitor gives up; later, the
            // moment has passed: each round starts at another offset, until one has seen the moment.
            Thread.sleep(OFFSETS_MS[round]);
            long end = System.nanoTime() + 250_000_000L;
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<List<String>>> loops = new ArrayList<>();
                for (int t = 0; t < 10; t++) {
                    loops.add(threads.submit(() -> {
                        List<String> outcomes = new ArrayList<>();
                        while (System.nanoTime() < end) {
                            try {
                                client.recommendations(0);
                                outcomes.add("200");
                            } catch (Problem e) {
                                outcomes.add(e.getMessage());
                            }
                        }
                        return outcomes;
                    }));
                }
                for (Future<List<String>> loop : loops) {
                    for (String outcome : loop.get()) {
                        if (outcome.equals("200")) {
                            answered++;
                        } else {
                            failures.add(outcome);
                        }
                    }
                }
            }
        }
        System.out.println("answered " + answered + ", tried again " + client.triedAgain() + ", failed " + failures);
        assertThat(failures, is(empty()));
        // The moment is a matter of timing a busy machine can shift past every round: then this run
        // saw nothing to check, and says so as a skip, with its reason, rather than pass or fail.
        org.junit.jupiter.api.Assumptions.assumeTrue(client.triedAgain() > 0, "the test did not meet the moment (a GET whose cached"
                + " connection broke, tried again) within " + ROUNDS + " rounds: nothing was checked");
        assertThat("each of the ten threads made calls across the expiry", answered, greaterThanOrEqualTo(10));
    }
}
