package dev.loomshowcase;

import dev.loomshowcase.support.ChildShowcase;
import dev.loomshowcase.support.RunsBesideOthers;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/** What a real start prints, in a JVM of its own as {@code ./showcase} starts it. */
@RunsBesideOthers
class StartupOutputTest {

    @Test
    void aStartPrintsNoSlf4jWarning() throws Exception {
        try (ChildShowcase showcase = ChildShowcase.start()) {
            String output = showcase.output();
            assertThat(output, containsString("loom-showcase is up"));
            // HikariCP logs through slf4j-api: without a provider SLF4J warns on every start.
            assertThat(output, not(containsString("SLF4J")));
            assertThat("Hikari logs its warnings only", output, not(containsString("Start completed")));
        }
    }
}
