package dev.loomshowcase;

import java.time.Duration;

import dev.loomshowcase.support.ChildShowcase;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.Scrape;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * The showcase's pinning monitor ({@code /observe/pinning}, 5 ms threshold) and Helidon's
 * {@code vthreads_pinned} meter (20 ms threshold) read the same JFR events: JFR records
 * {@code jdk.VirtualThreadPinned} once per JVM, at the lowest threshold of its running recordings,
 * and hands every event to every stream. So pins between 5 and 20 ms count in both, and only
 * without the monitor does the meter keep to its own 20 ms. Pins on purpose: no pinning detection here.
 */
@ServerTest
class PinningMetricsTest {

    private static final String ROUTE = "/sleep/pinned-native";
    private static final Duration JFR_DELIVERY = Duration.ofSeconds(15);

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private static double pinnedMeter() {
        return Scrape.of(SHOWCASE).value("vthreads_pinned");
    }

    @Test
    void monitorAndMeterCountTheSamePinsAboveTheLowerThreshold() {
        assertThat("the monitor's threshold", SHOWCASE.showcase().pinningMonitor().threshold().toMillis(), is(5L));
        long routeBefore = SHOWCASE.pinnedEvents(ROUTE);
        long monitorBefore = SHOWCASE.showcase().pinningMonitor().total();
        double meterBefore = pinnedMeter();

        // Five pins over both thresholds, five between them (10 ms: over the monitor's 5, under the meter's 20).
        for (int i = 0; i < 5; i++) {
            assertThat(SHOWCASE.get(ROUTE + "?ms=100").status(), is(200));
            assertThat(SHOWCASE.get(ROUTE + "?ms=10").status(), is(200));
        }

        Scrape.await("the monitor sees the ten pinned sleeps of " + ROUTE, JFR_DELIVERY,
                () -> SHOWCASE.pinnedEvents(ROUTE) - routeBefore >= 10);
        assertThat("one pinning per request, each over 5 ms", SHOWCASE.pinnedEvents(ROUTE) - routeBefore, is(10L));
        // Other pins of the JVM (e.g. the server's own, briefly) count in both: compare the totals.
        try {
            Scrape.await("vthreads_pinned rises as much as the monitor's total", JFR_DELIVERY,
                    () -> pinnedMeter() - meterBefore == SHOWCASE.showcase().pinningMonitor().total() - monitorBefore);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": the meter rose by " + (pinnedMeter() - meterBefore)
                    + ", the monitor's total by " + (SHOWCASE.showcase().pinningMonitor().total() - monitorBefore)
                    + "; " + SHOWCASE.get("/observe/pinning?last=20").body(), e);
        }
        assertThat("the meter counts the 10 ms pins too, under its own 20 ms threshold: JFR merged the thresholds",
                pinnedMeter() - meterBefore, greaterThanOrEqualTo(10.0));
    }

    @Test
    void withoutTheMonitorTheMeterKeepsToItsOwnThreshold() throws Exception {
        // A JVM of its own: in this one, other showcases' monitors may still ask JFR for 5 ms.
        try (ChildShowcase child = ChildShowcase.start("-Dapp.pinning-monitor.enabled=false")) {
            double before = Scrape.of(child).value("vthreads_pinned");
            // The 10 ms pins first: JFR delivers in order, so once the 100 ms ones are counted, so would they be.
            for (int i = 0; i < 5; i++) {
                assertThat(child.get(ROUTE + "?ms=10").status(), is(200));
            }
            for (int i = 0; i < 5; i++) {
                assertThat(child.get(ROUTE + "?ms=100").status(), is(200));
            }
            Scrape.await("vthreads_pinned counts the five 100 ms pins", JFR_DELIVERY,
                    () -> Scrape.of(child).value("vthreads_pinned") - before >= 5);
            assertThat("pins under 20 ms are not recorded when no recording asks for less",
                    Scrape.of(child).value("vthreads_pinned") - before, is(5.0));
        }
    }
}
