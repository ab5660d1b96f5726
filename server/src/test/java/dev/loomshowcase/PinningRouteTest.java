package dev.loomshowcase;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ServerSentEvents;
import dev.loomshowcase.support.ServerSentEvents.Event;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * The first burst of pinned-native sleeps on a fresh showcase: {@code GET /observe/pinning}
 * counts every pin against {@code /sleep/pinned-native}, none against "other", even when JFR
 * leaves an event's thread out (the monitor then places it by its carrier and start;
 * {@code observe.PinningAttributionTest} drives that path directly); and a race of
 * pinned-native streams its pins under the same route.
 */
// No pinning detection: it pins on purpose.
@ServerTest
class PinningRouteTest {

    private static final int N = 10;
    /** JFR flushes about once a second; give events this long to reach the monitor. */
    private static final long JFR_WAIT_MS = 10_000;

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @Test
    void aFreshBurstOfNativePinsIsCountedAgainstItsRoute() throws Exception {
        assertThat(SHOWCASE.burst(N, "/sleep/pinned-native?ms=200").failures(), is(0L));
        JsonObject pinning = SHOWCASE.get("/observe/pinning?last=50").json();
        long deadline = System.currentTimeMillis() + JFR_WAIT_MS;
        while (pinning.getJsonNumber("total").longValue() < N && System.currentTimeMillis() < deadline) {
            Thread.sleep(100); // waiting for JFR's next flush, checked again each time
            pinning = SHOWCASE.get("/observe/pinning?last=50").json();
        }
        // At least N: the first call may also wait, pinned, for a JDK class another thread initialises.
        assertThat(pinning.toString(), pinning.getJsonNumber("total").longValue(), greaterThanOrEqualTo((long) N));
        assertThat(pinning.toString(), pinning.getJsonObject("byRoute").keySet(), is(Set.of("/sleep/pinned-native")));
        List<String> routes = pinning.getJsonArray("last").stream()
                .map(event -> event.asJsonObject().getString("route"))
                .toList();
        assertThat(routes, everyItem(is("/sleep/pinned-native")));
    }

    /**
     * {@code settle=} waits for JFR's flush that holds every pin ended before the request, so one
     * call right after a burst counts them all (the load generator reads pinning so); without it,
     * pins from the burst's last second are still on their way.
     */
    @Test
    void aSettledAnswerCountsEveryPinThatEndedBeforeIt() throws Exception {
        long before = SHOWCASE.get("/observe/pinning?last=0&settle=3000").json().getJsonNumber("total").longValue();
        assertThat(SHOWCASE.burst(N, "/sleep/pinned-native?ms=200").failures(), is(0L));
        long start = System.nanoTime();
        JsonObject settled = SHOWCASE.get("/observe/pinning?last=0&settle=3000").json();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(settled.toString(), settled.getBoolean("settled"), is(true));
        assertThat(settled.toString(), settled.getJsonNumber("total").longValue(), greaterThanOrEqualTo(before + N));
        assertThat("a settled answer took " + ms + " ms; JFR flushes once a second", ms, lessThan(3_000L));
    }

    /** The race takes the monitor's route for each pin: its pinned events name the lane's route, as the monitor does. */
    @Test
    void theRaceAndTheMonitorAgreeOnTheRoute() throws Exception {
        List<Event> events;
        try (ServerSentEvents stream = ServerSentEvents.open(
                SHOWCASE.uri("/race/run?scenario=sleep&n=6&ms=200&styles=pinned-native"), Duration.ofSeconds(60))) {
            events = stream.until(event -> event.name().equals("done") || event.name().equals("failure"));
        }
        List<JsonObject> pinned = events.stream()
                .filter(event -> event.name().equals("pinned"))
                .map(Event::data)
                .toList();
        assertThat("the race forwarded pins: " + events.stream().map(Event::name).toList(), pinned, not(empty()));
        assertThat(pinned.toString(), pinned.stream().map(p -> p.getString("route")).toList(),
                everyItem(is("/sleep/pinned-native")));
        assertThat(pinned.toString(), pinned.stream().map(p -> p.getString("style")).toList(), everyItem(is("pinned-native")));
    }
}
