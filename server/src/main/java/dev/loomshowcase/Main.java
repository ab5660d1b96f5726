package dev.loomshowcase;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.logging.common.LogConfig;

/**
 * Starts the showcase: the main socket (scenarios, index) and the upstream mock's socket, with
 * the settings of {@code application.yaml}, overridable by system properties
 * ({@code -Dserver.port=9090}) and environment variables ({@code SERVER_PORT=9090}; a {@code -} in a key is written {@code _DASH_}).
 */
public final class Main {

    /**
     * The JDK the showcase is compiled for ({@code <release>} in pom.xml). With {@code --enable-preview}
     * its class files load only on this release: on another, a StructuredTaskScope class would
     * fail with {@code UnsupportedClassVersionError} the first time a route needs it.
     */
    static final int BUILT_FOR = 25;

    private Main() {
    }

    /** One line telling the reader the JDK is wrong, or null when it is the right one. */
    static String wrongJdk(int feature) {
        if (feature == BUILT_FOR) {
            return null;
        }
        return "loom-showcase is built for JDK " + BUILT_FOR + " and this is JDK " + feature
                + ": its preview class files (StructuredTaskScope) load only on " + BUILT_FOR
                + ". Start it with a JDK " + BUILT_FOR + " (./showcase finds one).";
    }

    public static void main(String[] args) {
        // First, before any class compiled with preview features is loaded.
        String wrongJdk = wrongJdk(Runtime.version().feature());
        if (wrongJdk != null) {
            System.err.println(wrongJdk);
            System.exit(1);
            return;
        }
        LogConfig.configureRuntime();
        Config config = Config.create();
        Showcase showcase;
        try {
            showcase = Startup.start(config);
        } catch (IllegalStateException | ConfigException e) {
            // A port taken, another process holding the database, or a key missing from application.yaml.
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        // On SIGTERM / Ctrl+C: stop taking requests, let in-flight ones finish (server.shutdown-grace-period),
        // then stop the pools and close the database cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(showcase::close, "showcase-shutdown"));
        String host = config.get("server.host").asString().get();
        String base = "http://" + host + ":" + showcase.port();
        System.out.println("""

                loom-showcase is up on Java %s (every request runs on a virtual thread).
                  Index of every scenario × style:  %s/
                  Which thread serves you:          %s/whoami
                  Try:                              curl '%s/sleep/virtual?ms=1000'
                  Upstream mock (external APIs):    http://%s:%d/delay?ms=500
                Stop with Ctrl+C.
                """.formatted(Runtime.version(), base, base, base, host, showcase.upstreamPort()));
    }
}
