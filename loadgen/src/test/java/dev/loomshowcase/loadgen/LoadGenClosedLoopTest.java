package dev.loomshowcase.loadgen;

import java.time.Duration;

import dev.loomshowcase.burst.Measurement;
import dev.loomshowcase.burst.Options;
import dev.loomshowcase.burst.Target;

import dev.loomshowcase.support.RunningShowcase;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link ClosedLoop}: c connections, each sending again when answered, make c ÷ latency requests
 * a second (Little's law) when the server serves them side by side, and one ÷ latency when it
 * serves one at a time, whatever c is.
 */
@Timeout(60)
@ServerTest(pinningDetection = true)
class LoadGenClosedLoopTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private static Options options(String pathAndQuery) {
        return Options.of(Target.of(SHOWCASE.uri(pathAndQuery).toString()));
    }

    @Test
    void tenConnectionsOnFiftyMillisecondSleepsMakeAboutTwoHundredASecond() throws Exception {
        Measurement report = ClosedLoop.run(options("/sleep/virtual?ms=50"), 10, Duration.ofSeconds(2));
        System.out.print(Report.summary(report));
        assertThat("errors " + report.errors(), report.errorCount(), is(0L));
        assertThat(report.connections(), is(10));
        assertThat(report.planned(), is(report.answered()));
        // 10 / 0.05 s = 200/s at most; loopback and a busy machine take a little of it.
        assertThat("achieved " + report.achievedRate() + "/s", report.achievedRate(),
                both(greaterThan(120.0)).and(lessThanOrEqualTo(200.0)));
        assertThat("nothing answers before its 50 ms sleep", report.latency().p50() >= 50.0, is(true));
    }

    @Test
    void aServerThatServesOneAtATimeGivesFourConnectionsTheRateOfOne() throws Exception {
        Measurement report = ClosedLoop.run(options("/sleep/eventloop-blocked?ms=50"), 4, Duration.ofSeconds(2));
        System.out.print(Report.summary(report));
        assertThat("errors " + report.errors(), report.errorCount(), is(0L));
        // One event-loop thread: 1 / 0.05 s = 20/s however many connections wait on it.
        assertThat("achieved " + report.achievedRate() + "/s", report.achievedRate(),
                both(greaterThan(12.0)).and(lessThan(22.0)));
        assertThat("each request waits behind the other three", report.latency().p50(), greaterThan(150.0));
    }

    @Test
    void refusesConnectionsAndDurationsOutOfBounds() {
        assertThrows(IllegalArgumentException.class, () -> ClosedLoop.run(options("/whoami"), 0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> ClosedLoop.run(options("/whoami"), ClosedLoop.MAX_CONNECTIONS + 1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> ClosedLoop.run(options("/whoami"), 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> ClosedLoop.run(options("/whoami"), 1, Duration.ofSeconds(601)));
    }
}
