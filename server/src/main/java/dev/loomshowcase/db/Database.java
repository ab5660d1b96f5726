package dev.loomshowcase.db;

import java.lang.management.ManagementFactory;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.management.JMX;
import javax.management.MalformedObjectNameException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.loomshowcase.web.Problem;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;

import com.zaxxer.hikari.HikariPoolMXBean;

/**
 * The showcase's database: H2 through helidon-dbclient with a bounded Hikari pool, SQL as
 * named statements in {@code application.yaml}. By default an H2 file under {@code ./data/},
 * so what users create survives a restart (like the tutorials' SQLite file);
 * {@code app.database.in-memory=true} (or {@code ./showcase --in-memory}) uses a private
 * in-memory database instead. Any JDBC URL can be set as {@code db.connection.url}.
 */
public final class Database implements AutoCloseable {

    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private final DbClient client;
    private final int poolSize;
    private final String url;
    private final String poolName;

    /** The pool's connections right now, as Hikari counts them. */
    public record Connections(int active, int idle, int total, int pending) {
    }

    private Database(DbClient client, int poolSize, String url, String poolName) {
        this.client = client;
        this.poolSize = poolSize;
        this.url = url;
        this.poolName = poolName;
    }

    /**
     * Opens the pool described by the {@code db} node, and creates the schema (the startup step).
     *
     * @param config the whole configuration
     */
    public static Database open(Config config) {
        Config db = config.get("db");
        if (config.get("app.database.in-memory").asBoolean().get()) {
            // A name of its own, so two showcases in one JVM (tests) never share tables, nor Hikari's
            // JMX name (com.zaxxer.hikari:type=Pool (<poolName>)), where the pool's meters read it.
            String name = "showcase-" + UUID.randomUUID();
            String memory = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
            db = Config.just(ConfigSources.create(Map.of("connection.url", memory, "connection.poolName", name)),
                    ConfigSources.create(db));
        }
        String url = db.get("connection.url").asString().get();
        int poolSize = db.get("connection.maximumPoolSize").asInt().get();
        String poolName = db.get("connection.poolName").asString().get();
        Database database = new Database(DbClient.create(db), poolSize, url, poolName);
        try {
            database.createSchema();
        } catch (RuntimeException e) {
            database.close();
            if (heldByAnotherProcess(e)) {
                // One line for the newcomer instead of H2's stack trace: who holds the file, and what to do.
                throw new IllegalStateException("Another showcase (or process) holds the database " + url
                        + ": stop it, or start this one with --in-memory (and -Dserver.port=... -Dupstream.port=... "
                        + "if the other one keeps its ports).", e);
            }
            throw e;
        }
        return database;
    }

    /** H2's "Database may be already in use" (error 90020): another process has the file open. */
    private static boolean heldByAnotherProcess(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                return true;
            }
        }
        return false;
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

    /**
     * The readiness probe's question: can a connection be had and a statement run? A full pool
     * answers 503 after its connection timeout, like any other query.
     */
    public void ping() {
        run(execute -> execute.namedGet("ping")).orElseThrow(() -> new IllegalStateException("the ping returned no row"));
    }

    /**
     * Hikari's own count of the pool's connections, read from the MXBean it registers
     * ({@code db.connection.registerMbeans: true}); empty when it registers none.
     */
    public Optional<Connections> connections() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = hikariPool();
        if (name == null || !server.isRegistered(name)) {
            return Optional.empty();
        }
        HikariPoolMXBean pool = JMX.newMXBeanProxy(server, name, HikariPoolMXBean.class);
        return Optional.of(new Connections(pool.getActiveConnections(), pool.getIdleConnections(),
                pool.getTotalConnections(), pool.getThreadsAwaitingConnection()));
    }

    private ObjectName hikariPool() {
        try {
            return poolName.isEmpty() ? null : new ObjectName("com.zaxxer.hikari:type=Pool (" + poolName + ")");
        } catch (MalformedObjectNameException e) {
            return null;
        }
    }

    /** Hikari's name for the pool ({@code db.connection.poolName}). */
    public String poolName() {
        return poolName;
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
