package dev.loomshowcase;

import java.time.Duration;

import dev.loomshowcase.support.ChildShowcase;
import dev.loomshowcase.support.Scrape;
import dev.loomshowcase.support.ShowcaseClient;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * The showcase's pinning monitor ({@code /observe/pinning}, 5 ms threshold) and Helidon's
 * {@code vthreads_pinned} meter (20 ms threshold) read the same JFR events: JFR records
 * {@code jdk.VirtualThreadPinned} once per JVM, at the lowest threshold of its running recordings,
 * and hands every event to every stream. So pins between 5 and 20 ms count in both, and only
 * without the monitor does the meter keep to its own 20 ms. Each showcase runs in a JVM of its
 * own: in the test JVM, other showcases' monitors ask JFR for their thresholds too, and a server
 * built there with other metrics settings (a bare WebServer) makes Helidon 4.5 rebuild its global
 * registry and start a second JFR stream that feeds the same vthreads counters, so they count twice.
 */
class PinningMetricsTest {

    private static final String ROUTE = "/sleep/pinned-native";
    private static final Duration JFR_DELIVERY = Duration.ofSeconds(15);

    private static double pinnedMeter(ShowcaseClient showcase) {
        return Scrape.of(showcase).value("vthreads_pinned");
    }

    private static JsonObject pinning(ShowcaseClient showcase) {
        return showcase.get("/observe/pinning?last=0").json();
    }

    private static long routeCount(ShowcaseClient showcase) {
        JsonObject byRoute = pinning(showcase).getJsonObject("byRoute");
        return byRoute.containsKey(ROUTE) ? byRoute.getJsonNumber(ROUTE).longValue() : 0;
    }

    /** Five pins over both thresholds and five between them (10 ms: over the monitor's 5, under the meter's 20). */
    private static void pinTenTimes(ShowcaseClient showcase) {
        // The 10 ms pins first: JFR delivers in order, so once the 100 ms ones are counted, so would they be.
        for (int i = 0; i < 5; i++) {
            assertThat(showcase.get(ROUTE + "?ms=10").status(), is(200));
        }
        for (int i = 0; i < 5; i++) {
            assertThat(showcase.get(ROUTE + "?ms=100").status(), is(200));
        }
    }

    @Test
    void monitorAndMeterCountTheSamePinsAboveTheLowerThreshold() throws Exception {
        try (ChildShowcase child = ChildShowcase.start()) {
            assertThat("the monitor's threshold", pinning(child).getInt("thresholdMs"), is(5));
            long routeBefore = routeCount(child);
            long monitorBefore = pinning(child).getJsonNumber("total").longValue();
            double meterBefore = pinnedMeter(child);
            pinTenTimes(child);

            Scrape.await("the monitor sees the ten pinned sleeps of " + ROUTE, JFR_DELIVERY,
                    () -> routeCount(child) - routeBefore >= 10);
            assertThat("one pinning per request, each over 5 ms", routeCount(child) - routeBefore, is(10L));
            // Other pins of the JVM (e.g. the server's own, briefly) count in both: compare the totals.
            try {
                Scrape.await("vthreads_pinned rises as much as the monitor's total", JFR_DELIVERY,
                        () -> pinnedMeter(child) - meterBefore == pinning(child).getJsonNumber("total").longValue()
                                - monitorBefore);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": the meter rose by " + (pinnedMeter(child) - meterBefore)
                        + ", the monitor's total by " + (pinning(child).getJsonNumber("total").longValue() - monitorBefore), e);
            }
            assertThat("the meter counts the 10 ms pins too, under its own 20 ms threshold: JFR merged the thresholds",
                    pinnedMeter(child) - meterBefore, greaterThanOrEqualTo(10.0));
        }
    }

    @Test
    void withoutTheMonitorTheMeterKeepsToItsOwnThreshold() throws Exception {
        try (ChildShowcase child = ChildShowcase.start("-Dapp.pinning-monitor.enabled=false")) {
            double before = pinnedMeter(child);
            pinTenTimes(child);
            Scrape.await("vthreads_pinned counts the five 100 ms pins", JFR_DELIVERY,
                    () -> pinnedMeter(child) - before >= 5);
            assertThat("pins under 20 ms are not recorded when no recording asks for less",
                    pinnedMeter(child) - before, is(5.0));
        }
    }
}
