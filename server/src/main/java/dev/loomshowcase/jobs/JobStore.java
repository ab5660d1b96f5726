package dev.loomshowcase.jobs;

import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.loomshowcase.db.Database;

import io.helidon.dbclient.DbRow;

import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * The {@code jobs} table, through the named statements of {@code application.yaml}. Every
 * change of status is a conditional update ({@code WHERE status = ...}): when a cancel and the
 * work's own end race, the database decides which one happened, and a finished job never
 * changes again.
 */
final class JobStore {

    /** The error column's size: longer messages are cut. */
    static final int MAX_ERROR = 1_000;

    private final Database database;

    JobStore(Database database) {
        this.database = database;
    }

    void insert(Job job) {
        database.run(db -> db.createNamedInsert("insert-job")
                .addParam("id", job.id())
                .addParam("kind", job.kind())
                .addParam("params", job.params().toString())
                .addParam("createdAt", job.createdAt())
                .execute());
    }

    /** Removes a job that was never accepted (its queue was full). */
    void delete(String id) {
        database.run(db -> db.createNamedDelete("delete-job").addParam("id", id).execute());
    }

    Optional<Job> find(String id) {
        return database.run(db -> db.createNamedGet("get-job").addParam("id", id).execute()).map(JobStore::job);
    }

    /** queued → running; false when it was no longer queued (cancelled meanwhile). */
    boolean start(String id, OffsetDateTime at) {
        return database.run(db -> db.createNamedUpdate("start-job")
                .addParam("id", id).addParam("startedAt", at).execute()) == 1;
    }

    void progress(String id, int progress) {
        database.run(db -> db.createNamedUpdate("job-progress")
                .addParam("id", id).addParam("progress", progress).execute());
    }

    /** queued or running → a finished status; false when it had already finished. */
    boolean finish(String id, JobStatus status, int progress, JsonValue result, String error, OffsetDateTime at) {
        return database.run(db -> db.createNamedUpdate("finish-job")
                .addParam("id", id)
                .addParam("status", status.text())
                .addParam("progress", progress)
                .addParam("result", result == null ? null : result.toString())
                .addParam("error", error == null ? null : Params.shorten(error, MAX_ERROR))
                .addParam("finishedAt", at)
                .execute()) == 1;
    }

    /** queued → cancelled; false when its work had already started (or it had finished). */
    boolean cancelQueued(String id, OffsetDateTime at) {
        return database.run(db -> db.createNamedUpdate("cancel-queued-job")
                .addParam("id", id).addParam("finishedAt", at).execute()) == 1;
    }

    /** Every job still queued or running becomes interrupted; returns how many did. */
    long interruptUnfinished(OffsetDateTime at) {
        return database.run(db -> db.createNamedUpdate("interrupt-unfinished-jobs").addParam("finishedAt", at).execute());
    }

    /** How many jobs there are, of one status or of all. */
    long count(Optional<JobStatus> status) {
        return database.run(db -> status.isPresent()
                        ? db.createNamedGet("count-jobs-by-status").addParam("status", status.get().text()).execute()
                        : db.namedGet("count-jobs"))
                .map(row -> row.column("total").get(Long.class))
                .orElse(0L);
    }

    /** Newest first. */
    List<Job> page(Optional<JobStatus> status, long limit, long offset) {
        return database.run(db -> {
            var query = status.isPresent()
                    ? db.createNamedQuery("page-jobs-by-status").addParam("status", status.get().text())
                    : db.createNamedQuery("page-jobs");
            try (Stream<DbRow> rows = query.addParam("limit", limit).addParam("offset", offset).execute()) {
                return rows.map(JobStore::job).toList();
            }
        });
    }

    private static Job job(DbRow row) {
        String result = row.column("result").get(String.class);
        return new Job(row.column("id").get(String.class),
                row.column("kind").get(String.class),
                status(row.column("status").get(String.class)),
                row.column("progress").get(Integer.class),
                parse(row.column("params").get(String.class)).asJsonObject(),
                result == null ? null : parse(result),
                row.column("error").get(String.class),
                row.column("created_at").get(OffsetDateTime.class),
                row.column("started_at").get(OffsetDateTime.class),
                row.column("finished_at").get(OffsetDateTime.class));
    }

    private static JobStatus status(String text) {
        return JobStatus.of(text).orElseThrow(() -> new IllegalStateException("unknown job status in the database: " + text));
    }

    private static JsonValue parse(String json) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }
}
