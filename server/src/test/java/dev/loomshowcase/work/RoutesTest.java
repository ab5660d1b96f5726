package dev.loomshowcase.work;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import dev.loomshowcase.concurrency.BoundedPool;
import dev.loomshowcase.styles.Answer;
import dev.loomshowcase.styles.EventLoopBlockedStyle;
import dev.loomshowcase.styles.PinnedClinitStyle;
import dev.loomshowcase.styles.PinnedNativeStyle;
import dev.loomshowcase.styles.PinnedSyncStyle;
import dev.loomshowcase.styles.PlatformStyle;
import dev.loomshowcase.styles.ReactiveStyle;
import dev.loomshowcase.styles.Styles;
import dev.loomshowcase.styles.VirtualStyle;
import dev.loomshowcase.support.Repository;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The routes a reader greps for are the routes served: every routed path is written out, once, as
 * a literal in its own scenario's file, and a line whose path names no style is refused at startup.
 */
@ServerTest(pinningDetection = true)
@RunsBesideOthers
class RoutesTest {

    private static final Path WORK = Repository.file("server/src/main/java/dev/loomshowcase/work");

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @Test
    void everyRouteIsWrittenOutOnceInItsScenarioFile() throws Exception {
        List<Route> routes = SHOWCASE.showcase().routes();
        for (Route route : routes) {
            String file = Character.toUpperCase(route.scenario().charAt(0)) + route.scenario().substring(1)
                    + "Scenario.java";
            String source = Files.readString(WORK.resolve(file));
            long written = Pattern.compile(Pattern.quote("\"" + route.path() + "\"")).matcher(source).results().count();
            assertThat(route.path() + " written out in work/" + file, written, is(1L));
        }
    }

    @Test
    void aPathThatNamesNoStyleIsRefused() {
        BoundedPool pool = new BoundedPool("test-pool", 1, 0, 1);
        try (pool) {
            Styles styles = new Styles(new VirtualStyle(), new PlatformStyle(pool), SHOWCASE.showcase().limited(),
                    new ReactiveStyle(), new EventLoopBlockedStyle(pool), new PinnedSyncStyle(), new PinnedNativeStyle(),
                    new PinnedClinitStyle());
            Scenario misspelt = routes -> routes.with().get("/sleep/virtaul", q -> Answer.onCurrentThread("never"));
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Routes.of(styles, misspelt));
            assertThat(refused.getMessage(), containsString("no style named 'virtaul'"));
        }
    }
}
