package dev.loomshowcase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.loomshowcase.support.Jobs;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Jobs live in the database, not in memory: with an H2 file, a finished job is still there
 * after a stop and a start, and no job is left "running" with nothing running it, whether the
 * server stopped cleanly or died.
 */
@RunsBesideOthers
class JobsRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path folder;

    @Test
    void finishedJobsSurviveARestartAndUnfinishedOnesEndInterrupted() throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("jobs") + ";DATABASE_TO_LOWER=TRUE";
        Map<String, String> settings = Map.of("db.connection.url", url, "app.database.in-memory", "false");

        JsonObject finished;
        String running;
        // A restart is two showcases on one file database in one test: @ServerTest starts one per class.
        try (RunningShowcase first = RunningShowcase.with(settings)) {
            String id = Jobs.submit(first, "{\"kind\": \"cpu\", \"n\": 1000}").getString("id");
            finished = Jobs.awaitStatus(first, id, "succeeded", WAIT);
            running = Jobs.submit(first, "{\"kind\": \"process-data\", \"message\": \"m\", \"steps\": 1, "
                    + "\"stepMs\": 60000}").getString("id");
            Jobs.awaitStatus(first, running, "running", WAIT);
        }

        String diedRunning = UUID.randomUUID().toString();
        String diedQueued = UUID.randomUUID().toString();
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            assertThat("a clean stop records the job it interrupted", status(db, running), is("interrupted"));
            // A server that died (kill -9, power cut) could not record anything: leave rows as it would have.
            insert(db, diedRunning, "running");
            insert(db, diedQueued, "queued");
        }

        try (RunningShowcase second = RunningShowcase.with(settings)) {
            JsonObject again = Jobs.get(second, finished.getString("id"));
            assertThat(again.getString("status"), is("succeeded"));
            assertThat(again.getJsonObject("result"), is(finished.getJsonObject("result")));
            assertThat(again.getString("finishedAt"), is(finished.getString("finishedAt")));

            JsonObject interrupted = Jobs.get(second, running);
            assertThat(interrupted.getString("status"), is("interrupted"));
            assertThat(interrupted.getString("error"), is("The server stopped while this job was running."));

            JsonObject died = Jobs.get(second, diedRunning);
            assertThat("the start-up step marks what a dead server left running", died.getString("status"),
                    is("interrupted"));
            assertThat(died.getString("error"), is("The server stopped while this job was running."));
            assertThat(Jobs.get(second, diedQueued).getString("error"), is("The server stopped while this job was queued."));
            for (String status : new String[] {"queued", "running"}) {
                assertThat(status, second.get("/jobs?status=" + status).json().getJsonNumber("total").longValue(), is(0L));
            }
            assertThat(second.get("/jobs?status=interrupted").json().getJsonNumber("total").longValue(), is(3L));
            assertThat("a cancel of an interrupted job is a conflict", second.delete("/jobs/" + diedRunning).status(),
                    is(409));
        }
    }

    private static String status(Connection db, String id) throws Exception {
        try (PreparedStatement select = db.prepareStatement("SELECT status FROM jobs WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                assertThat("row " + id + " exists", row.next(), is(true));
                return row.getString(1);
            }
        }
    }

    private static void insert(Connection db, String id, String status) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO jobs (id, kind, status, params, progress, "
                + "created_at, started_at) VALUES (?, 'cpu', ?, '{\"n\":1000000000}', 40, CURRENT_TIMESTAMP, "
                + (status.equals("running") ? "CURRENT_TIMESTAMP" : "NULL") + ")")) {
            insert.setString(1, id);
            insert.setString(2, status);
            insert.executeUpdate();
        }
    }
}
