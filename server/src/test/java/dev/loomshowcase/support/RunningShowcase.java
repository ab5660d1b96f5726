package dev.loomshowcase.support;

import java.util.HashMap;
import java.util.Map;

import dev.loomshowcase.Showcase;
import dev.loomshowcase.Startup;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * A real showcase, started exactly as {@code Main} starts it (same wiring, same
 * application.yaml) but on free ports, in this JVM, with a client for it. Test classes get one
 * from Helidon's {@code @ServerTest} (through {@link ShowcaseExtension}); {@link #with} starts
 * one by hand, for a test that needs two showcases (a restart, a port already taken).
 */
public final class RunningShowcase extends ShowcaseClient implements AutoCloseable {

    private final Showcase showcase;

    /** What every test showcase changes: free ports, a private in-memory database, recordings under target/. */
    static final Map<String, String> TEST_SETTINGS = Map.of("server.port", "0", "upstream.port", "0",
            "app.database.in-memory", "true", "app.recordings.folder", "target/recordings");

    RunningShowcase(Showcase showcase) {
        super(showcase::port, showcase::upstreamPort);
        this.showcase = showcase;
    }

    private static RunningShowcase start(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(TEST_SETTINGS);
        settings.putAll(overrides);
        Config config = Config.just(ConfigSources.create(settings), ConfigSources.classpath("application.yaml"));
        return new RunningShowcase(Startup.start(config));
    }

    /** A private instance with some settings changed, e.g. {@code "app.cpu-pool.size", "1"}. */
    public static RunningShowcase with(Map<String, String> overrides) {
        return start(overrides);
    }

    public Showcase showcase() {
        return showcase;
    }

    @Override
    public void close() {
        showcase.close();
    }
}
