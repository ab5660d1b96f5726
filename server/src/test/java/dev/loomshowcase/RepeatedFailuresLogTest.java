package dev.loomshowcase;

import java.time.Duration;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseSettings;
import dev.loomshowcase.web.OncePerInterval;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * A burst of identical failures is logged once per interval with a count, not once per failure:
 * 200 calls to an upstream that refuses connections give 200 × 502 and a handful of log lines.
 */
@ServerTest(pinningDetection = true)
// Nothing listens on port 1: every upstream call is refused at once.
@ShowcaseSettings("upstream.base-uri=http://127.0.0.1:1/")
class RepeatedFailuresLogTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @Test
    void twoHundredFailingCallsWriteAHandfulOfLines() {
        // logging.properties puts the filter on the console handler.
        OncePerInterval filter = Arrays.stream(Logger.getLogger("").getHandlers())
                .map(handler -> handler.getFilter())
                .filter(OncePerInterval.class::isInstance)
                .map(OncePerInterval.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no OncePerInterval filter on the root logger's handlers"));
        long passed = filter.passed();
        long held = filter.held();
        for (int i = 0; i < 200; i++) {
            assertThat(SHOWCASE.get("/http/virtual?ms=" + i).status(), is(502));
        }
        assertThat("at most a handful of lines for 200 failures", filter.passed() - passed, lessThanOrEqualTo(5L));
        assertThat("the rest counted", filter.held() - held, greaterThanOrEqualTo(195L));
    }

    @Test
    void theNextLineOfAKindSaysHowManyWereHeldBack() throws InterruptedException {
        Duration interval = Duration.ofMillis(200);
        OncePerInterval filter = new OncePerInterval(interval);
        int logged = 0;
        for (int i = 0; i < 200; i++) {
            logged += filter.isLoggable(warning("GET /http/virtual → 502: call " + i + " refused")) ? 1 : 0;
        }
        assertThat(logged, is(1));
        assertThat("another kind passes", filter.isLoggable(warning("GET /db/virtual → 503: busy")), is(true));
        assertThat("below WARNING always passes", filter.isLoggable(new LogRecord(Level.INFO, "call 1 refused")), is(true));

        Thread.sleep(interval.toMillis() + 50);
        LogRecord next = warning("GET /http/virtual → 502: call 200 refused");
        assertThat("the first of the next interval passes", filter.isLoggable(next), is(true));
        assertThat(next.getMessage(), containsString("and 199 more like it"));
        assertThat(filter.isLoggable(warning("GET /http/virtual → 502: call 201 refused")), is(false));
        assertThat(filter.held(), lessThan(201L));
    }

    private static LogRecord warning(String message) {
        LogRecord record = new LogRecord(Level.WARNING, message);
        record.setLoggerName(Showcase.class.getName());
        return record;
    }
}
