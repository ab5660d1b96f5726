package dev.loomshowcase;

import java.util.Map;

import dev.loomshowcase.support.RunningShowcase;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A showcase that cannot bind its port says so and stops, instead of announcing itself as up.
 */
class StartupTest {

    @Test
    void takenPortIsAClearErrorNotAFalseStart() {
        int taken = RunningShowcase.shared().showcase().port();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RunningShowcase.with(Map.of("server.port", String.valueOf(taken))));
        assertThat(e.getMessage(), containsString("already taken"));
    }
}
