package dev.loomshowcase;

import java.time.Duration;
import java.util.Map;

import dev.loomshowcase.styles.PinningByJdk;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.common.testing.virtualthreads.PinningAssertionError;
import io.helidon.common.testing.virtualthreads.PinningRecorder;
import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Each pinned style's answer says what this JVM does with it ({@code thisJvm}) and what JDK 21,
 * 26 and 27 would do ({@code onOtherJdks}), and this JVM's entry is what Helidon's
 * {@link PinningRecorder} actually sees: a pin, or none.
 */
// No pinning detection for the class: it calls the pinned styles on purpose and records each pin itself.
@ServerTest
@ShowcaseSettings("app.pinning-monitor.threshold-ms=20")
class PinningByJdkTest {

    private static final Duration THRESHOLD = Duration.ofMillis(20);

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void warmUp(RunningShowcase showcase) throws Exception {
        SHOWCASE = showcase;
        SHOWCASE.burst(2, "/sleep/pinned-native?ms=1");
        SHOWCASE.burst(2, "/sleep/pinned-clinit?ms=1");
        SHOWCASE.burst(2, "/sleep/pinned-sync?ms=1");
    }

    @ParameterizedTest(name = "{0}: this JVM {1}; JDK 21 {2}, 26 {3}, 27 {4}")
    @CsvSource({
            "pinned-sync,   does not pin, pins, does not pin, does not pin",
            "pinned-clinit, pins,         pins, pins,         pins",
            "pinned-native, pins,         pins, pins,         pins"})
    void answerSaysWhatEachJdkDoes(String style, String thisJvm, String jdk21, String jdk26, String jdk27) {
        JsonObject json = SHOWCASE.get("/sleep/" + style + "?ms=1").json();
        assertThat(json.getInt("thisJdk"), is(Runtime.version().feature()));
        assertThat(json.getString("thisJvm"), is(thisJvm));
        JsonObject others = json.getJsonObject("onOtherJdks");
        assertThat(others.getString("21"), is(jdk21));
        assertThat(others.getString("26"), is(jdk26));
        assertThat(others.getString("27"), is(jdk27));
        assertThat(others.size(), is(3));
        assertThat("and says why", json.getString("pinningByJdk").isBlank(), is(false));
        assertThat("the work's own result is still there", json.getJsonObject("result").getInt("ms"), is(1));
    }

    @Test
    void pinnedSyncKeepsItsOwnFields() {
        JsonObject json = SHOWCASE.get("/http/pinned-sync?ms=1").json();
        assertThat(json.getBoolean("synchronizedPins"), is(false));
        assertThat(json.getInt("lockingMode"), is(2));
        assertThat(json.getString("thisJvm"), is("does not pin"));
    }

    @ParameterizedTest(name = "{0}: thisJvm is what Helidon's recorder sees")
    @CsvSource({"pinned-sync", "pinned-clinit", "pinned-native"})
    void thisJvmIsWhatHappened(String style) throws Exception {
        String said = SHOWCASE.get("/sleep/" + style + "?ms=1").json().getString("thisJvm");
        PinningRecorder recorder = PinningRecorder.create();
        recorder.record(THRESHOLD);
        long failures = SHOWCASE.burst(4, "/sleep/" + style + "?ms=100").failures();
        boolean pinned;
        try {
            recorder.close();
            pinned = false;
        } catch (PinningAssertionError pin) {
            pinned = true;
        }
        assertThat("no request may fail", failures, is(0L));
        assertThat(style + " said it " + said + "; Helidon's recorder " + (pinned ? "saw a pin" : "saw none"),
                pinned ? "pins" : "does not pin", is(said));
    }

    /** The table of DESIGN.md ("Pinning, by JDK"), row by row; -1: the JDK's default flags. */
    @Test
    void tableMatchesTheSources() {
        Map<PinningByJdk, String> expected = Map.of(
                PinningByJdk.SYNCHRONIZED, "21:pins 23:pins 24:does not pin 25:does not pin 26:does not pin 27:does not pin",
                PinningByJdk.WAITING_FOR_CLASS_INIT, "21:pins 23:pins 24:pins 25:pins 26:does not pin 27:does not pin",
                PinningByJdk.RUNNING_CLINIT, "21:pins 23:pins 24:pins 25:pins 26:pins 27:pins",
                PinningByJdk.NATIVE_UPCALL, "21:pins 23:pins 24:pins 25:pins 26:pins 27:pins");
        expected.forEach((cause, row) -> {
            StringBuilder actual = new StringBuilder();
            for (int jdk : new int[] {21, 23, 24, 25, 26, 27}) {
                actual.append(actual.isEmpty() ? "" : " ").append(jdk).append(':').append(cause.answer(jdk, -1));
            }
            assertThat(cause.name(), actual.toString(), is(row));
        });
        assertThat("legacy locking pins synchronized on 24", PinningByJdk.SYNCHRONIZED.pins(24, 1), is(true));
        assertThat("and on 25", PinningByJdk.SYNCHRONIZED.pins(25, 1), is(true));
        assertThat("the default lightweight locking does not", PinningByJdk.SYNCHRONIZED.pins(25, 2), is(false));
        assertThat("JDK 26 cannot set the flag", PinningByJdk.SYNCHRONIZED.pins(26, 1), is(false));
        assertThat("JDK 27 has expired it", PinningByJdk.SYNCHRONIZED.pins(27, 1), is(false));
    }
}
