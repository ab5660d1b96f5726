package dev.loomshowcase.upstream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The mock's classifier: plausible labels from its word lists, rounded scores, the same answer every time. */
class HuggingFaceMockTest {

    @ParameterizedTest(name = "\"{0}\" is {1} {2}")
    @CsvSource({
            "I love virtual threads,                           POSITIVE, 0.818",
            "Virtual threads are great and fast,               POSITIVE, 0.953",
            "I hate it when my carrier thread is pinned,       NEGATIVE, 0.953",
            "This is slow,                                     NEGATIVE, 0.818",
            "Good docs but the build is broken and slow,       NEGATIVE, 0.818",
            "A thread is a thread,                             POSITIVE, 0.5"
    })
    void classifiesByItsWordLists(String text, String label, double score) {
        HuggingFaceMock.Prediction prediction = HuggingFaceMock.classify(text);
        assertThat(prediction.label(), is(label));
        assertThat(prediction.score(), is(score));
        assertThat("same input, same answer", HuggingFaceMock.classify(text), is(prediction));
    }
}
