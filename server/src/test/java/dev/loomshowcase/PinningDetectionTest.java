package dev.loomshowcase;

import java.util.Arrays;
import java.util.List;

import dev.loomshowcase.support.RunningShowcase;

import io.helidon.common.testing.virtualthreads.PinningAssertionError;
import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@code @ServerTest(pinningDetection = true)} really fails a class whose route pins. Helidon
 * reports the pin after the class's tests, against the class, so the class is run here through
 * JUnit's {@link EngineTestKit} and its result is read.
 */
// Not a @ServerTest with pinning detection itself: its recorder would catch the pins this class provokes.
class PinningDetectionTest {

    private static final String RUN_IT = "loomshowcase.pinning-detection-demo";

    /** A class whose one route pins; it runs only inside {@link #detectionFailsTheClassAndNamesTheFrame}. */
    @ServerTest(pinningDetection = true)
    @EnabledIfSystemProperty(named = RUN_IT, matches = "true")
    static class PinnedNativeRouteTest {

        @Test
        void pinnedNativeAnswers(RunningShowcase showcase) {
            assertThat(showcase.get("/sleep/pinned-native?ms=100").status(), is(200));
        }
    }

    @Test
    void detectionFailsTheClassAndNamesTheFrame() {
        EngineExecutionResults results;
        System.setProperty(RUN_IT, "true");
        try {
            results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(PinnedNativeRouteTest.class)).execute();
        } finally {
            System.clearProperty(RUN_IT);
        }
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        List<Throwable> failures = results.containerEvents().failed().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .toList();
        assertThat("the class fails, after its test passed: " + failures, failures.size(), is(1));
        Throwable failure = failures.getFirst();
        assertThat(failure, instanceOf(PinningAssertionError.class));
        assertThat(failure.getMessage(), containsString("jdk.VirtualThreadPinned"));
        List<String> frames = Arrays.stream(failure.getStackTrace()).map(f -> f.getClassName() + "." + f.getMethodName()).toList();
        assertThat("the failure names the frame that blocked: " + frames, frames, hasItem("dev.loomshowcase.work.SleepScenario.sleep"));
        assertThat(frames, hasItem(containsString("dev.loomshowcase.styles.PinnedNativeStyle")));
    }
}
