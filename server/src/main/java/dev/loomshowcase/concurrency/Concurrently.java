package dev.loomshowcase.concurrency;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;

/**
 * The showcase's only use of {@code StructuredTaskScope} (JEP 505, a preview API in JDK 25 that
 * changes again in JDK 26, so it lives behind this one small class). Java's answer to
 * {@code asyncio.gather}: each task gets its own virtual thread, the caller waits for all of
 * them, and the first failure cancels the rest, so nothing outlives the request.
 *
 * <p>What moving to a newer JDK changes here, and only here:
 * <ul>
 *   <li>JDK 26 (JEP 525): {@code Joiner.anySuccessfulResultOrThrow()} becomes
 *       {@code anySuccessfulOrThrow()}; {@code allSuccessfulOrThrow()} makes {@code join()} return
 *       the results as a {@code List} (no more {@code Stream<Subtask>} to map); {@code Joiner} is
 *       no longer a functional interface; the configuration of {@code open(joiner, config)} is a
 *       {@code UnaryOperator}.</li>
 *   <li>JDK 27 (JEP 533): {@code StructuredTaskScope} takes a third type parameter.</li>
 * </ul>
 * And the class file itself: compiled with {@code --enable-preview} for 25, it loads only on 25.
 */
public final class Concurrently {

    private Concurrently() {
    }

    /**
     * Runs every task at once, each on a new virtual thread, and returns their results in order.
     *
     * @throws Exception the first task's failure, as the task threw it; the other tasks are
     *                   interrupted and have finished by the time this returns
     */
    public static <T> List<T> all(List<? extends Callable<T>> tasks) throws Exception {
        try (var scope = StructuredTaskScope.open(Joiner.<T>allSuccessfulOrThrow())) {
            tasks.forEach(scope::fork);
            return scope.join().map(Subtask::get).toList();
        } catch (StructuredTaskScope.FailedException e) {
            throw Waiting.causeOf(e.getCause());
        }
    }
}
