package dev.loomshowcase.slides;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.loomshowcase.support.Repository;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.work.Route;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * The deck forgets no route: every scenario × style the server routes (work/Routes, the list
 * that {@code GET /} and the OpenAPI document are checked against) is named somewhere in
 * slides/deck.md, as a path ({@code /sleep/virtual?ms=500}) or in a brace list
 * ({@code /db/{virtual,platform}}), or is in {@link #NOT_IN_THE_DECK} with the reason. A route
 * added to the code and not to the workshop fails here.
 */
@ServerTest
class DeckRoutesTest {

    private static final Path DECK = Repository.file("slides", "deck.md");

    /** Routes the deck leaves out on purpose, each with why. Keep it short: a route worth routing is worth a line. */
    private static final Map<String, String> NOT_IN_THE_DECK = Map.of();

    /** A path of the deck: /scenario/style, or /scenario/{style,style,...}. */
    private static final Pattern PATH = Pattern.compile("/([a-z]+)/(?:\\{([a-z,-]+)}|([a-z][a-z-]*))");

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    /** Every /scenario/style the deck's text names, brace lists expanded. */
    static Set<String> named(String deck) {
        Set<String> paths = new HashSet<>();
        Matcher m = PATH.matcher(deck);
        while (m.find()) {
            List<String> styles = m.group(2) != null ? List.of(m.group(2).split(",")) : List.of(m.group(3));
            styles.forEach(style -> paths.add("/" + m.group(1) + "/" + style));
        }
        return paths;
    }

    @Test
    void everyRouteIsInTheDeckOrSaysWhyNot() throws Exception {
        Set<String> named = named(Files.readString(DECK));
        Set<String> forgotten = new TreeSet<>();
        for (Route route : SHOWCASE.showcase().routes()) {
            if (!named.contains(route.path()) && !NOT_IN_THE_DECK.containsKey(route.path())) {
                forgotten.add(route.path());
            }
        }
        assertThat("routes slides/deck.md never names (add them, or say why in NOT_IN_THE_DECK)", forgotten, is(empty()));
    }

    @Test
    void theAllowListHoldsOnlyRoutesThatExistAndAreNotInTheDeck() throws Exception {
        Set<String> named = named(Files.readString(DECK));
        Set<String> routed = new HashSet<>();
        SHOWCASE.showcase().routes().forEach(route -> routed.add(route.path()));
        for (String path : NOT_IN_THE_DECK.keySet()) {
            assertThat(path + " is routed", routed.contains(path), is(true));
            assertThat(path + " is in the deck now: drop it from NOT_IN_THE_DECK", named.contains(path), is(false));
        }
    }

    @Test
    void braceListsAndPathsAreBothRead() {
        assertThat(named("see `/db/{virtual,pinned-sync}` and /cpu/timer?ms=300."),
                is(Set.of("/db/virtual", "/db/pinned-sync", "/cpu/timer")));
    }
}
