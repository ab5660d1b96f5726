package dev.loomshowcase;

import java.util.Map;

import dev.loomshowcase.web.OpenFileBudget;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The showcase refuses to start when {@code ulimit -n} cannot hold every socket its bounds
 * allow (Helidon 4.5.0's accept loop would stop for good at the limit), and says so in one line.
 */
class OpenFileBudgetTest {

    private static Config config(Map<String, String> settings) {
        return Config.just(ConfigSources.create(settings), ConfigSources.classpath("application.yaml"));
    }

    @Test
    void theDefaultBoundsFitThisMachinesLimit() {
        assertDoesNotThrow(() -> OpenFileBudget.check(config(Map.of())));
    }

    @Test
    void boundsPastTheLimitRefuseToStartSayingWhatToChange() {
        // Far past any limit a test machine has (20,000 here, the JVM's own maximum elsewhere).
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> OpenFileBudget.check(config(Map.of("server.max-tcp-connections", "2000000000"))));
        assertThat(refused.getMessage(), allOf(containsString("ulimit -n is "), containsString("server.max-tcp-connections"),
                containsString("upstream.max-in-flight")));
        assertThat("one line", refused.getMessage().contains("\n"), org.hamcrest.Matchers.is(false));
    }

    @Test
    void anUnboundedSocketRefusesToStart() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> OpenFileBudget.check(config(Map.of("upstream.socket.max-tcp-connections", "-1"))));
        assertThat(refused.getMessage(), containsString("must be set"));
    }
}
