package dev.loomshowcase.slides;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.loomshowcase.support.Repository;
import dev.loomshowcase.support.RunningShowcase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

/**
 * Keeps the workshop deck ({@code slides/deck.md}) true to the code: its shape (30–49 slides,
 * every section ending with a complete exercise, every image there), and every exercise done as
 * a reader would do it, its Observe block traced back to what the commands really print. A
 * deck that drifts from the code (a route renamed, an option dropped, a key of an answer
 * renamed, a JFR event gone) fails here.
 */
class DeckTest {

    private static final Path DECK = Repository.file("slides", "deck.md");

    private static Deck deck;
    private static RunningShowcase showcase;

    @BeforeAll
    static void read() throws Exception {
        deck = Deck.read(DECK);
        // Not @ServerTest: Helidon 4.5's extension fails every @TestFactory test ("required test class is
        // not present"), so this class starts its showcase itself. No pinning check: the exercises pin on purpose.
        showcase = RunningShowcase.with(Map.of());
    }

    @AfterAll
    static void stop() {
        if (showcase != null) {
            showcase.close();
        }
    }

    @Test
    void hasThirtyToFortyFiveSlides() {
        assertThat(deck.slides().size(), allOf(greaterThanOrEqualTo(30), lessThanOrEqualTo(49)));
    }

    @Test
    void everySectionEndsWithACompleteExercise() {
        List<List<Deck.Slide>> sections = deck.sections();
        assertThat("sections (slides of class section)", sections, not(empty()));
        for (List<Deck.Slide> section : sections) {
            Deck.Slide last = section.getLast();
            assertThat("the section starting at " + section.getFirst() + " ends with " + last + ", not an exercise",
                    last.is("exercise"), is(true));
        }
        assertThat("every exercise slide", deck.exercises(), not(empty()));
        for (Deck.Exercise exercise : deck.exercises()) {
            String where = exercise.slide().toString();
            assertThat(where + ": Predict asks a question", exercise.predict(), containsString("?"));
            assertThat(where + ": Run has a bash block of commands", exercise.commands().stream().anyMatch(c -> !c.isBlank()), is(true));
            assertThat(where + ": Observe shows output", exercise.observed().stream().anyMatch(o -> !o.isBlank()), is(true));
            assertThat(where + ": Explain asks something", exercise.explain().isBlank(), is(false));
            assertThat(where + ": the solution is in the speaker notes", exercise.slide().notes(), containsString("Solution:"));
        }
    }

    @Test
    void everyImageExists() {
        for (Deck.Slide slide : deck.slides()) {
            for (String image : slide.images()) {
                assertThat(slide + " shows " + image, Files.isRegularFile(DECK.getParent().resolve(image)), is(true));
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyExerciseRunsAsShown() {
        return deck.exercises().stream().map(exercise -> DynamicTest.dynamicTest(exercise.slide().toString(), () -> {
            try (ExerciseRun run = new ExerciseRun(exercise, showcase)) {
                run.runCommands();
                run.checkObserved();
            }
        }));
    }
}
