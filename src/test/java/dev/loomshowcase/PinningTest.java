package dev.loomshowcase;

import java.util.function.LongSupplier;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Burst;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Pinning on JDK 25 with two carriers (the test JVM runs with
 * {@code -Djdk.virtualThreadScheduler.parallelism=2}): a native frame and a class initialiser
 * pin and serialise the sleeps, and JFR's stream sees it; {@code synchronized} no longer pins
 * (JEP 491); the other styles never pin.
 */
class PinningTest {

    private static final RunningShowcase SHOWCASE = RunningShowcase.shared();
    /** JFR flushes about once a second; give events this long to arrive. */
    private static final long JFR_WAIT_MS = 8_000;

    @BeforeAll
    static void warmUp() throws Exception {
        SHOWCASE.burst(8, "/sleep/virtual?ms=1");
        SHOWCASE.burst(2, "/sleep/pinned-native?ms=1");
    }

    private static long awaitAtLeast(LongSupplier count, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + JFR_WAIT_MS * 1_000_000;
        while (count.getAsLong() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return count.getAsLong();
    }

    @ParameterizedTest(name = "{0} pins: 8 sleeps on 2 carriers serialise, and JFR reports it")
    @ValueSource(strings = {"pinned-native", "pinned-clinit"})
    void pinnedStylesSerialiseAndAreSeenByJfr(String style) throws Exception {
        String route = "/sleep/" + style;
        long before = SHOWCASE.pinnedEvents(route);
        Burst virtual = SHOWCASE.burst(8, "/sleep/virtual?ms=200");
        Burst pinned = SHOWCASE.burst(8, route + "?ms=200");
        assertThat("no request may fail", virtual.failures() + pinned.failures(), is(0L));
        assertThat("8 pinned sleeps on 2 carriers run 2 at a time: " + style + " " + pinned.makespanMs()
                        + " ms vs virtual " + virtual.makespanMs() + " ms",
                pinned.makespanMs(), greaterThanOrEqualTo(3 * virtual.makespanMs()));
        long after = awaitAtLeast(() -> SHOWCASE.pinnedEvents(route), before + 1);
        assertThat("JFR's jdk.VirtualThreadPinned stream saw " + route, after, greaterThanOrEqualTo(before + 1));
    }

    @Test
    void monitorShowsTheReasonJfrGives() throws Exception {
        SHOWCASE.burst(2, "/sleep/pinned-native?ms=50");
        SHOWCASE.burst(2, "/sleep/pinned-clinit?ms=50");
        awaitAtLeast(() -> SHOWCASE.pinnedEvents("/sleep/pinned-clinit"), 1);
        JsonObject pinning = SHOWCASE.get("/observe/pinning?last=200").json();
        var reasons = pinning.getJsonArray("last").stream()
                .map(JsonValue::asJsonObject)
                .map(e -> e.getString("route") + ": " + e.getString("pinnedReason"))
                .toList();
        assertThat(reasons, hasItem("/sleep/pinned-native: Native or VM frame on stack"));
        assertThat(reasons.stream().anyMatch(r -> r.startsWith("/sleep/pinned-clinit: VM call to")
                && r.contains("<clinit> on stack")), is(true));
        JsonObject event = pinning.getJsonArray("last").getJsonObject(0);
        assertThat("events carry the top stack frames", event.getJsonArray("topFrames").size(), greaterThanOrEqualTo(1));
        assertThat(pinning.getJsonNumber("total").longValue(), greaterThanOrEqualTo(2L));
    }

    @Test
    void synchronizedDoesNotPinOnJdk25() throws Exception {
        Reply one = SHOWCASE.get("/sleep/pinned-sync?ms=1");
        assertThat("the response says what this JVM does", one.json().getBoolean("synchronizedPins"), is(false));
        long before = SHOWCASE.pinnedEvents("/sleep/pinned-sync");
        Burst virtual = SHOWCASE.burst(8, "/sleep/virtual?ms=200");
        Burst sync = SHOWCASE.burst(8, "/sleep/pinned-sync?ms=200");
        assertThat("no request may fail", virtual.failures() + sync.failures(), is(0L));
        assertThat("JEP 491: synchronized runs like virtual: " + sync.makespanMs() + " ms vs " + virtual.makespanMs() + " ms",
                sync.makespanMs(), lessThan(2 * Math.max(virtual.makespanMs(), 200)));
        Thread.sleep(2_500); // two JFR flushes: events, if any, have arrived
        assertThat("no pinning reported for pinned-sync", SHOWCASE.pinnedEvents("/sleep/pinned-sync"), is(before));
    }

    @Test
    void virtualPlatformAndReactiveNeverPin() throws Exception {
        String[] routes = {"/sleep/virtual", "/sleep/platform", "/sleep/reactive", "/http/virtual", "/http/reactive"};
        long[] before = new long[routes.length];
        for (int i = 0; i < routes.length; i++) {
            before[i] = SHOWCASE.pinnedEvents(routes[i]);
            assertThat(SHOWCASE.burst(8, routes[i] + "?ms=50").failures(), is(0L));
        }
        Thread.sleep(2_500);
        for (int i = 0; i < routes.length; i++) {
            assertThat("no pinning on " + routes[i], SHOWCASE.pinnedEvents(routes[i]), is(before[i]));
        }
    }

    @Test
    void schedulerReportsItsCarriers() {
        JsonObject scheduler = SHOWCASE.get("/observe/scheduler").json();
        assertThat("the test JVM runs with two carriers", scheduler.getInt("parallelism"), is(2));
        assertThat(scheduler.getInt("poolSize"), greaterThanOrEqualTo(1));
        assertThat("this request's own virtual thread is mounted", scheduler.getInt("mountedVirtualThreads"),
                greaterThanOrEqualTo(1));
        assertThat(scheduler.getInt("livePlatformThreads"), greaterThanOrEqualTo(2));
        assertThat(scheduler.getJsonNumber("virtualThreadsStarted").longValue(), greaterThanOrEqualTo(0L));
        assertThat(scheduler.containsKey("queuedVirtualThreads"), is(true));
    }

    @Test
    void pinnedSyncResponseNamesTheLockingMode() {
        JsonObject json = SHOWCASE.get("/http/pinned-sync?ms=1").json();
        assertThat(json.getInt("lockingMode"), is(2));
        assertThat(json.getString("thread"), containsString("VirtualThread"));
    }
}
