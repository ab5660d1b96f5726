package dev.loomshowcase.db;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * The readiness check of {@code GET /observe/health/ready}: the showcase is ready while its
 * database answers a ping through the pool. Hand-written: {@code helidon-dbclient-health} is not
 * served for Helidon 4.5 on the mirror this project is built from.
 */
public final class DatabaseReadiness implements HealthCheck {

    private final Database database;

    public DatabaseReadiness(Database database) {
        this.database = database;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse.Builder response = HealthCheckResponse.builder().detail("pool", database.poolName());
        try {
            database.ping();
            return response.status(true).build();
        } catch (RuntimeException e) {
            // Not ready: the pool gave no connection within its timeout, or the database failed.
            return response.status(false).detail("error", withoutPaths(String.valueOf(e.getMessage()))).build();
        }
    }

    /** H2 names its database file in some errors ("... in use: /home/.../showcase.mv.db"): no answer shows it. */
    static String withoutPaths(String message) {
        return message.replaceAll("(?<![\\w./])/[^\\s\"',;)\\]]+", "<path>");
    }
}
