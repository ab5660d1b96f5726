package dev.loomshowcase.burst;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import dev.loomshowcase.support.RunningShowcase;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@link Burst} against a real showcase: the headline ratio (40 sleeps on a pool of 10 take
 * four rounds, on virtual threads one), failures counted by kind rather than lost, and the
 * deadline that ends a burst whatever the server does.
 */
@Timeout(120)
@ServerTest(pinningDetection = true)
class LoadGenBurstTest {

    private static RunningShowcase SHOWCASE;

    static Options options(String pathAndQuery) {
        return Options.of(Target.of(SHOWCASE.uri(pathAndQuery).toString()));
    }

    @BeforeAll
    static void warmUp(RunningShowcase showcase) throws Exception {
        SHOWCASE = showcase;
        // Class loading and JIT on both sides; kept out of the comparison.
        Burst.run(options("/sleep/virtual?ms=1"), 40);
        Burst.run(options("/sleep/platform?ms=1"), 10);
    }

    @Test
    void fortySleepsOnAPoolOfTenTakeAtLeastThreeTimesAsLongAsOnVirtualThreads() throws Exception {
        Measurement virtual = Burst.run(options("/sleep/virtual?ms=300"), 40);
        Measurement platform = Burst.run(options("/sleep/platform?ms=300"), 40);
        assertThat("errors: virtual " + virtual.errors() + ", platform " + platform.errors(),
                virtual.errorCount() + platform.errorCount(), is(0L));
        assertThat(virtual.latency().count(), is(40L));
        assertThat(virtual.connections(), is(40));
        assertThat("40 sleeps of 300 ms on a pool of 10 run in 4 rounds, on virtual threads in one: platform "
                        + platform.makespanMs() + " ms vs virtual " + virtual.makespanMs() + " ms",
                platform.makespanMs(), greaterThanOrEqualTo(3 * virtual.makespanMs()));
        assertThat("nobody answers before the sleep is over", virtual.latency().p50(), greaterThanOrEqualTo(300.0));
        assertThat("the makespan is the slowest request's latency, both from t0",
                Math.abs(virtual.makespanMs() - virtual.latency().max()), lessThan(2.0));
    }

    @Test
    void answersThatAreNot2xxAreCountedByStatus() throws Exception {
        Measurement report = Burst.run(options("/sleep/virtual?ms=-1"), 7);
        assertThat(report.errors(), is(Map.of("400", 7L)));
        assertThat("a 400 is still an answer", report.answered(), is(7L));
        assertThat(report.latency().count(), is(7L));
    }

    @Test
    void refusedConnectionsAreCountedByPhaseAndExceptionBeforeT0() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Measurement report = Burst.run(Options.of(Target.of("http://127.0.0.1:" + closedPort + "/")), 3);
        assertThat(report.errors(), is(Map.of("connect:ConnectException", 3L)));
        assertThat(report.answered(), is(0L));
        assertThat("no answer, no makespan", report.makespanMs(), is(nullValue()));
        assertThat(report.latency().count(), is(0L));
    }

    @Test
    void requestsWithoutAnAnswerInTimeFailAsTimeoutsAndTheBurstEndsThere() throws Exception {
        long start = System.nanoTime();
        Measurement report = Burst.run(options("/sleep/virtual?ms=5000").withTimeout(Duration.ofMillis(800)), 3);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(report.errors(), is(Map.of("receive:SocketTimeoutException", 3L)));
        assertThat("the burst ends at its deadline, not when the server answers: " + tookMs + " ms",
                tookMs, lessThan(4_000L));
    }
}
