package dev.loomshowcase;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

/**
 * Starts the showcase: the main socket (scenarios, index) and the upstream mock's socket, with
 * the settings of {@code application.yaml}, overridable by system properties
 * ({@code -Dserver.port=9090}) and environment variables ({@code SERVER_PORT=9090}; a {@code -} in a key is written {@code _DASH_}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = Config.create();
        Showcase showcase;
        try {
            showcase = Showcase.start(config);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        // On SIGTERM / Ctrl+C: stop taking requests, let in-flight ones finish (server.shutdown-grace-period),
        // then stop the pools and close the database cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(showcase::close, "showcase-shutdown"));
        String host = config.get("server.host").asString().orElse("127.0.0.1");
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
