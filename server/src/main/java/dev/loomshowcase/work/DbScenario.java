package dev.loomshowcase.work;

import java.util.concurrent.CompletableFuture;

import dev.loomshowcase.concurrency.BoundedPool;
import dev.loomshowcase.db.Database;
import dev.loomshowcase.styles.Styles;
import dev.loomshowcase.web.Problem;

import io.helidon.http.Status;

import static dev.loomshowcase.work.SleepScenario.MS;

/**
 * {@code /db/{style}?ms=}: one query that takes {@code ms} inside the database (H2's
 * {@code SLEEP_MS}), through helidon-dbclient and a Hikari pool of a fixed size. Virtual
 * threads make waiting cheap, but they do not make connections: with a pool of K, at most K
 * queries run at once and throughput stays at most K / ms, whatever the style. The response
 * says how long the request waited for a connection, so the reader sees where the bottleneck
 * moved. Each style's Javadoc says which FastAPI handler it answers.
 */
public final class DbScenario implements Scenario {

    /** What the work returns. */
    public record Queried(long ms, int poolSize, long waitedForConnectionMs, String jdbcThread, String note) {
    }

    private final Styles styles;
    private final Database database;
    private final BoundedPool jdbcOffload;

    /**
     * @param database    the pool
     * @param jdbcOffload where the reactive style runs the JDBC call, since JDBC has no async API
     */
    public DbScenario(Styles styles, Database database, BoundedPool jdbcOffload) {
        this.styles = styles;
        this.database = database;
        this.jdbcOffload = jdbcOffload;
    }

    /**
     * The work, blocking: borrow a connection (waiting if the pool is empty), run the slow query
     * (SQLAlchemy's {@code session.execute(...)} in a {@code def} handler).
     */
    Queried query(long ms) {
        return query(ms, null);
    }

    /**
     * The same work for the reactive style. JDBC has no non-blocking API, so a reactive stack
     * can only hand the blocking call to a bounded pool of its own and compose on the future
     * (FastAPI's {@code await run_in_threadpool(session.execute, ...)}).
     */
    CompletableFuture<Queried> queryAsync(long ms) {
        return CompletableFuture.supplyAsync(() -> query(ms,
                "JDBC has no non-blocking API: this query ran on the " + jdbcOffload.name() + " pool"), jdbcOffload);
    }

    private Queried query(long ms, String note) {
        long asked = System.nanoTime();
        long started = database.run(db -> db.createNamedGet("sleep-in-database").addParam("ms", ms).execute())
                .map(row -> row.column("started_nanos").get(Long.class))
                .orElseThrow(() -> Problem.of(Status.INTERNAL_SERVER_ERROR_500, "No row",
                        "SLEEP_MS returned no row."));
        return new Queried(ms, database.poolSize(), Math.max(0, (started - asked) / 1_000_000),
                Thread.currentThread().toString(), note);
    }

    @Override
    public void addRoutes(Routes routes) {
        routes.with("one query taking ms inside H2, through a pool of " + database.poolSize() + " connections", MS)
                .get("/db/virtual", q -> styles.virtual().run(() -> query(q.get(MS))))
                .get("/db/platform", q -> styles.platform().run(() -> query(q.get(MS))))
                .get("/db/limited", q -> styles.limited().run(() -> query(q.get(MS))))
                .get("/db/reactive", q -> styles.reactive().run(() -> queryAsync(q.get(MS))))
                .get("/db/pinned-sync", q -> styles.pinnedSync().run(() -> query(q.get(MS))))
                .get("/db/pinned-native", q -> styles.pinnedNative().run(() -> query(q.get(MS))));
    }
}
