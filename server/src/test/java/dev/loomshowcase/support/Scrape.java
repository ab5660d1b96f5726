package dev.loomshowcase.support;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

import dev.loomshowcase.support.ShowcaseClient.Reply;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * One read of {@code GET /observe/metrics} in Prometheus text, and the value of a meter in it:
 * {@code scrape.value("showcase_pool_active", "pool=\"platform-pool\"")}.
 */
public record Scrape(String text) {

    /** Scrapes the showcase's metrics endpoint now. */
    public static Scrape of(ShowcaseClient showcase) {
        Reply reply = showcase.send(HttpRequest.newBuilder(showcase.uri("/observe/metrics")).header("Accept", "text/plain"));
        assertThat(reply.body(), reply.status(), is(200));
        return new Scrape(reply.body());
    }

    /**
     * The value of the first sample of {@code name} whose labels contain every one given.
     *
     * @throws AssertionError when there is none
     */
    public double value(String name, String... labels) {
        return text.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + " " + Arrays.toString(labels) + " in:\n" + text));
    }

    /** Whether a sample of {@code name} with these labels exists. */
    public boolean has(String name, String... labels) {
        return text.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .anyMatch(line -> Arrays.stream(labels).allMatch(line::contains));
    }

    /** Waits (up to {@code within}) until the condition holds, checking every 20 ms. */
    public static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within.toMillis() + " ms: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }
}
