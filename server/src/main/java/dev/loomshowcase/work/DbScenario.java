package dev.loomshowcase.work;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.loomshowcase.db.Database;
import dev.loomshowcase.styles.BoundedPool;
import dev.loomshowcase.styles.Style;
import dev.loomshowcase.styles.Work;
import dev.loomshowcase.web.Problem;

/**
 * {@code /db/{style}?ms=}: one query that takes {@code ms} inside the database (H2's
 * {@code SLEEP_MS}), through helidon-dbclient and a Hikari pool of a fixed size. Virtual
 * threads make waiting cheap, but they do not make connections: with a pool of K, at most K
 * queries run at once and throughput stays at most K / ms, whatever the style. The response
 * says how long the request waited for a connection, so the reader sees where the bottleneck
 * moved.
 */
public final class DbScenario implements Scenario {

    /** What the work returns. */
    public record Queried(long ms, int poolSize, long waitedForConnectionMs, String jdbcThread, String note) {
    }

    private final List<Style> styles;
    private final Database database;
    private final BoundedPool jdbcOffload;

    /**
     * @param styles      the styles to offer
     * @param database    the pool
     * @param jdbcOffload where the reactive style runs the JDBC call, since JDBC has no async API
     */
    public DbScenario(List<Style> styles, Database database, BoundedPool jdbcOffload) {
        this.styles = styles;
        this.database = database;
        this.jdbcOffload = jdbcOffload;
    }

    /** The work, blocking: borrow a connection (waiting if the pool is empty), run the slow query. */
    Queried query(long ms, String note) {
        long asked = System.nanoTime();
        long started = database.run(db -> db.createNamedGet("sleep-in-database").addParam("ms", ms).execute())
                .map(row -> row.column("started_nanos").get(Long.class))
                .orElseThrow(() -> Problem.of(io.helidon.http.Status.INTERNAL_SERVER_ERROR_500, "No row",
                        "SLEEP_MS returned no row."));
        return new Queried(ms, database.poolSize(), Math.max(0, (started - asked) / 1_000_000),
                Thread.currentThread().toString(), note);
    }

    /**
     * The same work for the reactive style. JDBC has no non-blocking API, so a reactive stack
     * can only hand the blocking call to a bounded pool of its own and compose on the future.
     */
    CompletableFuture<Queried> queryAsync(long ms) {
        return CompletableFuture.supplyAsync(() -> query(ms,
                "JDBC has no non-blocking API: this query ran on the " + jdbcOffload.name() + " pool"), jdbcOffload);
    }

    @Override
    public String name() {
        return "db";
    }

    @Override
    public List<Route> routes() {
        return Route.inEachStyle(name(), "one query taking ms inside H2, through a pool of " + database.poolSize()
                        + " connections", styles, List.of(SleepScenario.MS),
                args -> {
                    long ms = args.get(SleepScenario.MS);
                    return new Work<>(() -> query(ms, null), () -> queryAsync(ms));
                });
    }
}
