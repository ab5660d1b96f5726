package dev.loomshowcase.db;

import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.UUID;

import dev.loomshowcase.web.Problem;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;

/**
 * The showcase's database: H2 through helidon-dbclient with a bounded Hikari pool, SQL as
 * named statements in {@code application.yaml}. By default an H2 file under {@code ./data/},
 * so what users create survives a restart (like the tutorials' SQLite file);
 * {@code app.database.in-memory=true} (or {@code ./showcase --in-memory}) uses a private
 * in-memory database instead. Any JDBC URL can be set as {@code db.connection.url}.
 */
public final class Database implements AutoCloseable {

    private final DbClient client;
    private final int poolSize;
    private final String url;

    private Database(DbClient client, int poolSize, String url) {
        this.client = client;
        this.poolSize = poolSize;
        this.url = url;
    }

    /**
     * Opens the pool described by the {@code db} node, and creates the schema (the startup step).
     *
     * @param config the whole configuration
     */
    public static Database open(Config config) {
        Config db = config.get("db");
        if (config.get("app.database.in-memory").asBoolean().orElse(false)) {
            // A name of its own, so two showcases in one JVM (tests) never share tables.
            String memory = "jdbc:h2:mem:showcase-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
            db = Config.just(ConfigSources.create(Map.of("connection.url", memory)), ConfigSources.create(db));
        }
        String url = db.get("connection.url").asString().orElseThrow(
                () -> new IllegalStateException("db.connection.url is not set"));
        int poolSize = db.get("connection.maximumPoolSize").asInt().orElse(10);
        Database database = new Database(DbClient.create(db), poolSize, url);
        database.createSchema();
        return database;
    }

    /** Creates the tables and the SLEEP_MS function if they are not there yet. */
    private void createSchema() {
        DbExecute execute = client.execute();
        execute.namedDml("create-users");
        execute.namedDml("create-jobs");
        execute.namedDml("create-jobs-index");
        execute.namedDml("create-sleep-function");
    }

    /** Runs statements; a full pool becomes 503, a duplicate key 409, anything else stays as thrown. */
    public <T> T run(java.util.function.Function<DbExecute, T> statements) {
        try {
            return statements.apply(client.execute());
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** What a database failure means to the client. */
    public RuntimeException translate(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return Problem.busy("All " + poolSize + " database connections stayed busy past the pool's "
                        + "connection timeout. Try again shortly.", 1).with("poolSize", poolSize);
            }
            if (t instanceof SQLIntegrityConstraintViolationException) {
                return Problem.of(io.helidon.http.Status.CONFLICT_409, "Conflict", "That record already exists.");
            }
        }
        return e;
    }

    public DbClient client() {
        return client;
    }

    /** The Hikari pool's maximum size: at most this many queries run at once. */
    public int poolSize() {
        return poolSize;
    }

    public String url() {
        return url;
    }

    @Override
    public void close() {
        client.close();
    }
}
