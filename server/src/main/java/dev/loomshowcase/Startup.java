package dev.loomshowcase;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

/**
 * Starts a showcase on its own server, as {@link Main} does: the server built from the config's
 * {@code server} node, both sockets open. A start that fails says why in one line a newcomer can
 * act on, instead of announcing a server that is not there. ({@code @ServerTest} starts the server
 * itself and uses {@link Showcase#configure} directly.)
 */
public final class Startup {

    private Startup() {
    }

    /**
     * Builds the showcase from config and starts both sockets.
     *
     * @throws IllegalStateException when a port is taken
     * @throws io.helidon.config.MissingValueException when a key of {@code application.yaml} is missing;
     *                                                 its message names the key
     */
    public static Showcase start(Config config) {
        Showcase showcase = Showcase.create(config);
        WebServerConfig.Builder builder = WebServer.builder().config(config.get("server"));
        showcase.configure(builder);
        WebServer server = builder.build();
        showcase.started(server);
        server.start();
        if (!server.isRunning()) {
            // Helidon logs the cause (typically "Address already in use") and returns a stopped server.
            showcase.close();
            throw new IllegalStateException("The server could not start: is port "
                    + config.get("server.port").asInt().get() + " or " + config.get("upstream.port").asInt().get()
                    + " already taken? Choose others with -Dserver.port=... -Dupstream.port=...");
        }
        return showcase;
    }
}
