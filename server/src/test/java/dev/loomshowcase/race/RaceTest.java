package dev.loomshowcase.race;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ServerSentEvents;
import dev.loomshowcase.support.ServerSentEvents.Event;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

/**
 * {@code GET /race/run} over plain HTTP: a small race streams a plan, live progress and one
 * result per style, in which the platform pool's queueing shows; bad input is a 400 problem;
 * a second race while one runs is a 503 with Retry-After.
 */
@ServerTest(pinningDetection = true)
class RaceTest {

    private static RunningShowcase SHOWCASE;
    private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(90);

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private static List<Event> race(String query) throws Exception {
        try (ServerSentEvents stream = ServerSentEvents.open(SHOWCASE.uri("/race/run?" + query), STREAM_TIMEOUT)) {
            assertThat(stream.response().statusCode(), is(200));
            assertThat(stream.response().headers().firstValue("content-type").orElse(""),
                    containsString("text/event-stream"));
            return stream.until(event -> event.name().equals("done") || event.name().equals("failure"));
        }
    }

    private static Map<String, JsonObject> results(List<Event> events) {
        return events.stream()
                .filter(event -> event.name().equals("result"))
                .collect(Collectors.toMap(event -> event.data().getString("style"), Event::data));
    }

    @Test
    void smallRaceStreamsAResultPerStyleAndThePoolQueues() throws Exception {
        // 20 sleeps of 300 ms: all at once on virtual threads (~300 ms), two waves on the pool of 10 (~600 ms);
        // long enough that the fixed costs (connecting, a busy machine) do not blur the ratio.
        List<Event> events = race("scenario=sleep&n=20&ms=300&styles=virtual,platform");
        List<String> names = events.stream().map(Event::name).toList();
        assertThat("the plan comes first: " + names, names.getFirst(), is("race"));
        assertThat("the race ends with done: " + names, names.getLast(), is("done"));
        assertThat(events.getFirst().data().getJsonArray("styles").size(), is(2));

        Map<String, JsonObject> results = results(events);
        assertThat("one result per style: " + results.keySet(), results.keySet(), is(java.util.Set.of("virtual", "platform")));
        for (JsonObject result : results.values()) {
            assertThat(result.toString(), result.getInt("answered"), is(20));
            assertThat(result.toString(), result.getInt("errorCount"), is(0));
            assertThat("the side probe ran meanwhile: " + result, result.get("probeP99Ms") instanceof JsonNumber, is(true));
        }
        // The progress events carry every answer's time since t0: the page's line is built from them.
        for (String style : results.keySet()) {
            int ends = events.stream()
                    .filter(event -> event.name().equals("progress") && event.data().getString("style").equals(style))
                    .mapToInt(event -> event.data().getJsonArray("ends").size())
                    .sum();
            assertThat("every answer of " + style + " reached the progress events", ends, is(20));
        }
        // The order is the plan's: the platform lane starts only after the virtual one has its result.
        assertThat(names.indexOf("result"), lessThan(lastIndexOf(events, "start")));

        double virtual = results.get("virtual").getJsonNumber("makespanMs").doubleValue();
        double platform = results.get("platform").getJsonNumber("makespanMs").doubleValue();
        assertThat("virtual: all 20 sleep at once, about 300 ms, got " + virtual, virtual, greaterThanOrEqualTo(300.0));
        // Ideally 2 (two waves of 10); 1.5 leaves room for a noisy machine but not for no queueing at all.
        assertThat("platform (pool of 10) must take about two waves: " + platform + " ms vs virtual " + virtual + " ms",
                platform / virtual, greaterThanOrEqualTo(1.5));
    }

    private static int lastIndexOf(List<Event> events, String name) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void badInputIsAProblemBeforeAnythingRuns() {
        Map<String, String> cases = Map.of(
                "scenario=nope", "scenario",
                "scenario=cpu&styles=reactive", "styles",
                "styles=virtual,warp-drive", "styles",
                "styles=,", "styles",
                "n=0", "n",
                "n=1001", "n",
                "ms=10001", "ms",
                "scenario=fanout&styles=sequential&calls=21", "calls",
                "scenario=cpu&styles=virtual&iterations=2000000001", "iterations",
                "scenario=sleep&scenario=http", "scenario");
        cases.forEach((query, parameter) -> {
            Reply reply = SHOWCASE.get("/race/run?" + query);
            assertThat(query + ": " + reply.body(), reply.status(), is(400));
            assertThat(query, reply.contentType(), is("application/problem+json"));
            assertThat(query + ": " + reply.body(), reply.json().getString("parameter"), is(parameter));
        });
    }

    @Test
    void oneRaceAtATime() throws Exception {
        try (ServerSentEvents first = ServerSentEvents.open(
                SHOWCASE.uri("/race/run?scenario=sleep&n=5&ms=1500&styles=virtual"), STREAM_TIMEOUT)) {
            assertThat(first.response().statusCode(), is(200));
            assertThat("the first race has started", first.next().name(), is("race"));

            Reply second = SHOWCASE.get("/race/run?scenario=sleep&n=5&ms=10&styles=virtual");
            assertThat(second.body(), second.status(), is(503));
            assertThat(second.contentType(), is("application/problem+json"));
            assertThat("a busy race says when to come back", second.header("Retry-After"), notNullValue());
            assertThat(Integer.parseInt(second.header("Retry-After")), greaterThanOrEqualTo(1));

            List<Event> rest = first.until(event -> event.name().equals("done"));
            assertThat("the first race is unharmed by the refused one", rest.getLast().name(), is("done"));
        }
        // Done means free: the next race may start at once.
        List<Event> again = race("scenario=sleep&n=2&ms=10&styles=virtual");
        assertThat(again.getLast().name(), is("done"));
    }

    @Test
    void thePageAndItsFilesAreServed() {
        Reply page = SHOWCASE.get("/race");
        assertThat(page.status(), is(200));
        assertThat(page.contentType(), containsString("text/html"));
        assertThat(page.body(), containsString("/race/race.js"));
        Reply script = SHOWCASE.get("/race/race.js");
        assertThat(script.status(), is(200));
        assertThat(script.contentType(), containsString("text/javascript"));
        assertThat("the script reads the stream it is given", script.body(), containsString("/race/run?"));
        assertThat(SHOWCASE.get("/race/race.css").contentType(), containsString("text/css"));
    }
}
