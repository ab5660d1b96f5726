package dev.loomshowcase.observe;

import dev.loomshowcase.db.Database;
import dev.loomshowcase.db.DatabaseReadiness;

import io.helidon.config.Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;

/**
 * Helidon's observe feature as {@code application.yaml} configures it ({@code GET /observe/metrics}
 * and {@code /observe/health}), with the readiness check of this showcase (its database answers) in its health observer.
 * Built here and added on the server builder, not left for Helidon to discover: Helidon keeps a
 * feature added on the builder over the one of the same type and name it would find itself, and
 * only the one built here holds the check.
 */
public final class HealthAndMetrics {

    private HealthAndMetrics() {
    }

    /**
     * @param config    the {@code server.features.observe} node
     * @param database  what {@code GET /observe/health/ready} asks ({@link DatabaseReadiness})
     */
    public static ObserveFeature feature(Config config, Database database) {
        return ObserveFeature.builder()
                .config(config)
                .addObserver(HealthObserver.builder()
                        .config(config.get("observers.health"))
                        .addCheck(new DatabaseReadiness(database))
                        .build())
                .build();
    }
}
