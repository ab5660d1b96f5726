package dev.loomshowcase;

import dev.loomshowcase.support.ChildShowcase;
import dev.loomshowcase.support.PinRecorderJvm;
import dev.loomshowcase.support.PinRecorderJvm.Findings;
import dev.loomshowcase.support.ShowcaseClient.Burst;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * "Reproduce JDK 21 behaviour": a JVM of its own, started with the deprecated legacy locking
 * ({@code -XX:+UnlockDiagnosticVMOptions -XX:LockingMode=1}) and two carriers. There
 * {@code synchronized} pins again: the sleeps serialise, JFR reports the pinning, and Helidon's
 * {@code PinningRecorder} (in a JVM of its own too, since JFR sees only its own JVM) catches the
 * pin, which it does not without the flag.
 */
class LegacyLockingTest {

    private static ChildShowcase legacy;

    @BeforeAll
    static void start() throws Exception {
        legacy = ChildShowcase.start("-XX:+UnlockDiagnosticVMOptions", "-XX:LockingMode=1",
                "-Djdk.virtualThreadScheduler.parallelism=2");
        legacy.burst(8, "/sleep/virtual?ms=1");
        legacy.burst(2, "/sleep/pinned-sync?ms=1");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (legacy != null) {
            legacy.close();
        }
    }

    @Test
    void synchronizedPinsWithLegacyLocking() throws Exception {
        JsonObject one = legacy.get("/sleep/pinned-sync?ms=1").json();
        assertThat("the response reads the JVM's own flag", one.getInt("lockingMode"), is(1));
        assertThat(one.getBoolean("synchronizedPins"), is(true));
        assertThat("and says this JVM pins synchronized", one.getString("thisJvm"), is("pins"));
        assertThat("which JDK 26 could not do", one.getJsonObject("onOtherJdks").getString("26"), is("does not pin"));

        Burst virtual = legacy.burst(8, "/sleep/virtual?ms=200");
        Burst sync = legacy.burst(8, "/sleep/pinned-sync?ms=200");
        assertThat("no request may fail", virtual.failures() + sync.failures(), is(0L));
        assertThat("legacy locking pins: 8 sleeps in synchronized on 2 carriers serialise: " + sync.makespanMs()
                + " ms vs virtual " + virtual.makespanMs() + " ms", sync.makespanMs(), greaterThanOrEqualTo(3 * virtual.makespanMs()));

        long events = 0;
        long deadline = System.nanoTime() + 8_000_000_000L;
        while (events == 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            JsonObject byRoute = legacy.get("/observe/pinning").json().getJsonObject("byRoute");
            events = byRoute.containsKey("/sleep/pinned-sync") ? byRoute.getJsonNumber("/sleep/pinned-sync").longValue() : 0;
        }
        assertThat("JFR saw synchronized pin", events, greaterThanOrEqualTo(1L));
        JsonObject pinning = legacy.get("/observe/pinning").json();
        assertThat(pinning.getBoolean("synchronizedPins"), is(true));
    }

    @Test
    void helidonsRecorderCatchesThePinOnlyWithLegacyLocking() throws Exception {
        String sleeps = "/sleep/pinned-sync?ms=100";
        Findings legacy = PinRecorderJvm.run(sleeps, 4, "-XX:+UnlockDiagnosticVMOptions", "-XX:LockingMode=1",
                "-Djdk.virtualThreadScheduler.parallelism=2");
        assertThat(String.join("\n", legacy.lines()), legacy.exitCode(), is(0));
        assertThat(legacy.lines(), hasItem("FAILURES 0"));
        assertThat("with -XX:LockingMode=1 the recorder catches synchronized pinning: " + legacy.lines(),
                legacy.pinned(), is(true));
        assertThat("the pin is in the style's synchronized block", legacy.frames(),
                hasItem(startsWith("dev.loomshowcase.styles.PinnedSyncStyle")));
        assertThat("around the sleep of the work", legacy.frames(), hasItem("dev.loomshowcase.work.SleepScenario.sleep"));

        Findings current = PinRecorderJvm.run(sleeps, 4, "-Djdk.virtualThreadScheduler.parallelism=2");
        assertThat(String.join("\n", current.lines()), current.exitCode(), is(0));
        assertThat(current.lines(), hasItem("FAILURES 0"));
        assertThat("without the flag synchronized does not pin (JEP 491): " + current.lines(),
                current.lines(), hasItem(PinRecorderJvm.NOT_PINNED));
    }
}
