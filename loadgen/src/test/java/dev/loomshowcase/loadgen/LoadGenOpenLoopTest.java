package dev.loomshowcase.loadgen;

import java.time.Duration;
import java.util.List;

import dev.loomshowcase.burst.Burst;
import dev.loomshowcase.burst.Measurement;
import dev.loomshowcase.burst.Options;
import dev.loomshowcase.burst.Target;

import dev.loomshowcase.support.RunningShowcase;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * {@link OpenLoop} and {@link RateSweep}: a steady rate is sent and answered as planned, and a
 * server that serialises requests shows the queue it builds, which a closed loop would hide
 * (coordinated omission).
 */
@Timeout(120)
@ServerTest(pinningDetection = true)
class LoadGenOpenLoopTest {

    private static RunningShowcase SHOWCASE;

    static Options options(String pathAndQuery) {
        return Options.of(Target.of(SHOWCASE.uri(pathAndQuery).toString()));
    }

    @BeforeAll
    static void warmUp(RunningShowcase showcase) throws Exception {
        SHOWCASE = showcase;
        OpenLoop.run(options("/sleep/virtual?ms=1"), 100, Duration.ofMillis(500));
        Burst.run(options("/sleep/eventloop-blocked?ms=1"), 2);
    }

    @Test
    void fiftyPerSecondForTwoSecondsIsAHundredAnswersWellUnderASecond() throws Exception {
        Measurement report = OpenLoop.run(options("/sleep/virtual?ms=10"), 50, Duration.ofSeconds(2));
        System.out.print(Report.summary(report));
        assertThat("errors " + report.errors(), report.errorCount(), is(0L));
        assertThat(report.planned(), is(100L));
        assertThat(report.answered(), is(100L));
        assertThat("achieved " + report.achievedRate() + "/s", report.achievedRate(),
                both(greaterThan(40.0)).and(lessThanOrEqualTo(50.5)));
        assertThat("p99 " + report.latency().p99() + " ms", report.latency().p99(), lessThan(500.0));
        assertThat("nothing answers before its 10 ms sleep", report.latency().p50(), greaterThanOrEqualTo(10.0));
        assertThat("keep-alive connections are reused", report.connections(), lessThan(100));
    }

    @Test
    void givesTheServersCpuPerAnsweredRequest() throws Exception {
        // The server runs in this JVM: its pid is this process's.
        Measurement run = OpenLoop.run(options("/whoami").withProbe(null).withServerPid(ProcessHandle.current().pid()),
                200, Duration.ofSeconds(1));
        JsonObject server = Report.json(run).getJsonObject("server");
        double perRequest = server.getJsonNumber("cpuUsPerRequest").doubleValue();
        assertThat("answered " + run.answered(), run.answered(), greaterThan(0L));
        assertThat("CPU seconds ÷ answered, in µs", perRequest,
                closeTo(run.server().cpuSeconds() * 1e6 / run.answered(), 0.01));
        assertThat(perRequest, greaterThan(0.0));
        assertThat("no server pid, no CPU per request",
                Report.json(OpenLoop.run(options("/whoami").withProbe(null), 50, Duration.ofMillis(200)))
                        .getJsonObject("server").get("cpuUsPerRequest"), is(JsonValue.NULL));
    }

    @Test
    void aSerialisingServerShowsItsQueueMeasuredFromTheIntendedSendTimes() throws Exception {
        // Closed loop: one request at a time, each waits only for its own 200 ms.
        double closedWorst = 0;
        for (int i = 0; i < 3; i++) {
            closedWorst = Math.max(closedWorst,
                    Burst.run(options("/sleep/eventloop-blocked?ms=200"), 1).latency().max());
        }
        // Open loop: 20/s into one thread that serves 5/s. Request i is due at i × 50 ms and
        // answered at about (i + 1) × 200 ms, so latencies grow by 150 ms per request: 6 s by the 40th.
        Measurement open = OpenLoop.run(options("/sleep/eventloop-blocked?ms=200").withTimeout(Duration.ofSeconds(30)),
                20, Duration.ofSeconds(2));
        System.out.print(Report.summary(open));
        assertThat("errors " + open.errors(), open.errorCount(), is(0L));
        assertThat(open.answered(), is(40L));
        assertThat("a closed loop sees each request take its own 200 ms: worst " + closedWorst + " ms",
                closedWorst, lessThan(1_000.0));
        assertThat("the open loop sees the queue: p99 " + open.latency().p99() + " ms",
                open.latency().p99(), greaterThanOrEqualTo(1_000.0));
        assertThat("the server gets through about 5 a second: " + open.achievedRate() + "/s",
                open.achievedRate(), lessThan(10.0));
    }

    @Test
    void aSweepFindsTheHighestRateUnderTheBoundAndStopsAtTheFirstOverIt() throws Exception {
        // One thread serving 100 ms sleeps: 10/s at most. 4/s and 8/s keep up; 20/s queues
        // 20 requests for 2 s, so its p99 passes 1 s.
        RateSweep.Result sweep = RateSweep.run(options("/sleep/eventloop-blocked?ms=100"),
                List.of(4.0, 8.0, 20.0, 40.0), Duration.ofSeconds(1), 500);
        String steps = sweep.summary();
        System.out.print(steps);
        assertThat(steps, sweep.bestRate(), both(greaterThanOrEqualTo(4.0)).and(lessThan(20.0)));
        assertThat(steps, sweep.steps().size(), lessThanOrEqualTo(3));
        assertThat(steps, sweep.steps().getLast().latency().p99(), greaterThan(500.0));
        assertThat("40/s is never tried: " + steps, sweep.stopped(), lessThanOrEqualTo(20.0));
    }
}
