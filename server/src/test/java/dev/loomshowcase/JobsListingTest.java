package dev.loomshowcase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.loomshowcase.support.Jobs;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code GET /jobs} filters by status and pages, on a showcase of its own: an empty database,
 * so the totals are exactly what this class made.
 */
@ServerTest(pinningDetection = true)
@RunsBesideOthers
class JobsListingTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void listingFiltersByStatusAndPages(RunningShowcase showcase) throws Exception {
        List<String> quick = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            quick.add(Jobs.submit(showcase, "{\"kind\": \"cpu\", \"n\": " + (i + 1) + "}").getString("id"));
        }
        String slow = Jobs.submit(showcase, "{\"kind\": \"process-data\", \"message\": \"slow\", \"steps\": 1, "
                + "\"stepMs\": 60000}").getString("id");
        for (String id : quick) {
            Jobs.awaitStatus(showcase, id, "succeeded", WAIT);
        }
        Jobs.awaitStatus(showcase, slow, "running", WAIT);

        assertThat(showcase.get("/jobs").json().getJsonNumber("total").longValue(), is(6L));
        JsonObject running = showcase.get("/jobs?status=running").json();
        assertThat(running.getJsonNumber("total").longValue(), is(1L));
        assertThat(running.getJsonArray("items").getJsonObject(0).getString("id"), is(slow));

        JsonObject first = showcase.get("/jobs?status=succeeded&size=2").json();
        assertThat(first.getJsonNumber("total").longValue(), is(5L));
        assertThat(first.getJsonNumber("pages").longValue(), is(3L));
        assertThat(first.getString("status"), is("succeeded"));
        assertThat(first.getString("next"), is("/jobs?status=succeeded&page=2&size=2"));
        assertThat(first.get("prev"), is(JsonValue.NULL));
        JsonObject last = showcase.get("/jobs?status=succeeded&page=3&size=2").json();
        assertThat(last.get("next"), is(JsonValue.NULL));
        assertThat(last.getString("prev"), is("/jobs?status=succeeded&page=2&size=2"));
        Set<String> listed = new HashSet<>();
        for (int page = 1; page <= 3; page++) {
            showcase.get("/jobs?status=succeeded&page=" + page + "&size=2").json().getJsonArray("items")
                    .forEach(item -> {
                        assertThat(item.asJsonObject().getString("status"), is("succeeded"));
                        listed.add(item.asJsonObject().getString("id"));
                    });
        }
        assertThat("the pages hold each succeeded job once", listed, is(new HashSet<>(quick)));
        assertThat("newest first", first.getJsonArray("items").getJsonObject(0).getString("id"), is(quick.get(4)));
        assertThat(showcase.get("/jobs?status=failed").json().getJsonNumber("total").longValue(), is(0L));

        for (String bad : List.of("/jobs?status=done", "/jobs?status=running&status=queued", "/jobs?page=0",
                "/jobs?size=101")) {
            Reply reply = showcase.get(bad);
            assertThat(bad, reply.status(), is(400));
            assertThat(bad, reply.contentType(), containsString("application/problem+json"));
        }
        Reply cancelled = showcase.delete("/jobs/" + slow);
        assertThat(cancelled.body(), cancelled.status(), is(200));
        assertThat(cancelled.json().get("result"), is(JsonValue.NULL));
        assertThat(cancelled.json().getJsonObject("timings").getJsonNumber("runMs").longValue(), greaterThan(-1L));
        assertThat(showcase.get("/jobs?status=cancelled").json().getJsonNumber("total").longValue(), is(1L));
        assertThat(showcase.get("/jobs?status=").json().getJsonNumber("total").longValue(), is(6L));
        assertThat(showcase.get("/jobs?status=running").json().getJsonArray("items").isEmpty(), is(true));
        assertThat(Jobs.get(showcase, slow).get("finishedAt"), is(not(nullValue())));
    }
}
