package dev.loomshowcase;

import java.util.Map;

import dev.loomshowcase.support.RunningShowcase;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A showcase that cannot bind its port says so and stops, instead of announcing itself as up.
 */
@ServerTest(pinningDetection = true)
class StartupTest {

    @Test
    void takenPortIsAClearErrorNotAFalseStart(RunningShowcase running) {
        int taken = running.showcase().port();
        // A second showcase while this class's runs: @ServerTest gives a class one server, so this one is started by hand.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RunningShowcase.with(Map.of("server.port", String.valueOf(taken))));
        assertThat(e.getMessage(), containsString("already taken"));
    }
}
