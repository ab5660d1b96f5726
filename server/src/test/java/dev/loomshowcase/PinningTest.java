package dev.loomshowcase;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Burst;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.common.testing.virtualthreads.PinningAssertionError;
import io.helidon.common.testing.virtualthreads.PinningRecorder;
import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Pinning on JDK 25 with two carriers (the test JVM runs with
 * {@code -Djdk.virtualThreadScheduler.parallelism=2}): a native frame and a class initialiser
 * pin and serialise the sleeps, and Helidon's {@link PinningRecorder} catches the pin with the
 * frames that caused it; {@code synchronized} no longer pins (JEP 491); the other styles never
 * pin. The showcase's own monitor ({@code /observe/pinning}) reports what JFR saw.
 */
// No pinning detection for the class: it calls pinned-native and pinned-clinit on purpose and records each pin itself.
// JFR merges the thresholds of a JVM's recordings: the monitor takes the recorder's 20 ms, so a recorder sees
// exactly the pins over its own threshold.
@ServerTest
@ShowcaseSettings("app.pinning-monitor.threshold-ms=20")
class PinningTest {

    private static final Duration THRESHOLD = Duration.ofMillis(20);
    /** JFR flushes about once a second; give events this long to reach the monitor. */
    private static final long JFR_WAIT_MS = 8_000;

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void warmUp(RunningShowcase showcase) throws Exception {
        SHOWCASE = showcase;
        SHOWCASE.burst(8, "/sleep/virtual?ms=1");
        SHOWCASE.burst(2, "/sleep/pinned-native?ms=1");
    }

    /** Helidon's recorder of {@code jdk.VirtualThreadPinned}, started: {@code close()} throws if a pin came. */
    private static PinningRecorder recordPins() {
        PinningRecorder recorder = PinningRecorder.create();
        recorder.record(THRESHOLD);
        return recorder;
    }

    /** The frames of the pinned virtual thread, as class.method. */
    private static List<String> frames(PinningAssertionError pin) {
        return Arrays.stream(pin.getStackTrace()).map(f -> f.getClassName() + "." + f.getMethodName()).toList();
    }

    /** How many pins the showcase's monitor counted for a route, read from {@code /observe/pinning}. */
    private static long monitored(String route) {
        JsonObject byRoute = SHOWCASE.get("/observe/pinning").json().getJsonObject("byRoute");
        return byRoute.containsKey(route) ? byRoute.getJsonNumber(route).longValue() : 0;
    }

    private static long awaitAtLeast(LongSupplier count, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + JFR_WAIT_MS * 1_000_000;
        while (count.getAsLong() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return count.getAsLong();
    }

    @ParameterizedTest(name = "{0} pins: 8 sleeps on 2 carriers serialise, and Helidon's recorder catches it in {1}")
    @CsvSource({
            "pinned-native, dev.loomshowcase.styles.PinnedNativeStyle",
            "pinned-clinit, dev.loomshowcase.styles.PinnedClinitStyle$SlowToInitialise.<clinit>"})
    void pinnedStylesSerialiseAndArePinsToHelidonsRecorder(String style, String frame) throws Exception {
        String route = "/sleep/" + style;
        Burst virtual = SHOWCASE.burst(8, "/sleep/virtual?ms=200");
        PinningRecorder recorder = recordPins();
        Burst pinned = SHOWCASE.burst(8, route + "?ms=200");
        PinningAssertionError pin = assertThrows(PinningAssertionError.class, recorder::close,
                "Helidon's recorder saw no pin over " + THRESHOLD.toMillis() + " ms on " + route);
        assertThat("no request may fail", virtual.failures() + pinned.failures(), is(0L));
        assertThat("8 pinned sleeps on 2 carriers run 2 at a time: " + style + " " + pinned.makespanMs()
                        + " ms vs virtual " + virtual.makespanMs() + " ms",
                pinned.makespanMs(), greaterThanOrEqualTo(3 * virtual.makespanMs()));
        List<String> frames = frames(pin);
        assertThat("the pinned thread was in the sleep's work: " + frames, frames, hasItem("dev.loomshowcase.work.SleepScenario.sleep"));
        assertThat("and in the style that pins: " + frames, frames.stream().anyMatch(f -> f.startsWith(frame)), is(true));
    }

    @Test
    void monitorShowsTheReasonJfrGives() throws Exception {
        SHOWCASE.burst(2, "/sleep/pinned-native?ms=50");
        SHOWCASE.burst(2, "/sleep/pinned-clinit?ms=50");
        awaitAtLeast(() -> monitored("/sleep/pinned-clinit"), 1);
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
        Burst virtual = SHOWCASE.burst(8, "/sleep/virtual?ms=200");
        PinningRecorder recorder = recordPins();
        Burst sync = SHOWCASE.burst(8, "/sleep/pinned-sync?ms=200");
        assertDoesNotThrow(recorder::close, "JEP 491: blocking inside synchronized does not pin on JDK 25");
        assertThat("no request may fail", virtual.failures() + sync.failures(), is(0L));
        assertThat("JEP 491: synchronized runs like virtual: " + sync.makespanMs() + " ms vs " + virtual.makespanMs() + " ms",
                sync.makespanMs(), lessThan(2 * Math.max(virtual.makespanMs(), 200)));
    }

    @Test
    void virtualPlatformAndReactiveNeverPin() throws Exception {
        String[] routes = {"/sleep/virtual", "/sleep/platform", "/sleep/reactive", "/http/virtual", "/http/reactive"};
        PinningRecorder recorder = recordPins();
        for (String route : routes) {
            assertThat(SHOWCASE.burst(8, route + "?ms=50").failures(), is(0L));
        }
        assertDoesNotThrow(recorder::close, "no pinning on " + String.join(", ", routes));
    }

    @Test
    void schedulerReportsItsCarriers() {
        JsonObject scheduler = SHOWCASE.get("/observe/scheduler").json();
        assertThat("the test JVM runs with two carriers", scheduler.getInt("parallelism"), is(2));
        assertThat(scheduler.getInt("poolSize"), greaterThanOrEqualTo(1));
        assertThat("this request's own virtual thread is mounted", scheduler.getInt("mountedVirtualThreads"),
                greaterThanOrEqualTo(1));
        assertThat(scheduler.getInt("livePlatformThreads"), greaterThanOrEqualTo(2));
        assertThat(scheduler.containsKey("queuedVirtualThreads"), is(true));
    }

    @Test
    void schedulerCountsTheVirtualThreadsStarted() throws Exception {
        long before = SHOWCASE.get("/observe/scheduler").json().getJsonNumber("virtualThreadsStarted").longValue();
        // One request that starts 100 virtual threads (requests would not do: Helidon starts one per
        // connection, and the client reuses its connections); JFR reports them about a second later.
        assertThat(SHOWCASE.get("/threads/virtual?n=100&ms=1").status(), is(200));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        long now = before;
        while (now < before + 100 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = SHOWCASE.get("/observe/scheduler").json().getJsonNumber("virtualThreadsStarted").longValue();
        }
        assertThat("virtualThreadsStarted after 100 started: " + before + " then " + now, now, greaterThanOrEqualTo(before + 100));
    }

    @Test
    void pinnedSyncResponseNamesTheLockingMode() {
        JsonObject json = SHOWCASE.get("/http/pinned-sync?ms=1").json();
        assertThat(json.getInt("lockingMode"), is(2));
        assertThat(json.getString("thread"), containsString("VirtualThread"));
    }
}
