package dev.loomshowcase.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import dev.loomshowcase.Showcase;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.spi.ServerJunitExtension;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;

/**
 * Puts the real showcase into the server that Helidon's {@code @ServerTest} starts for a test
 * class (registered in {@code META-INF/services}): the same wiring as {@code Main}, through
 * {@link Showcase#configure}, with {@code application.yaml}, an in-memory database, free ports and
 * the class's {@link ShowcaseSettings}. A test (or its {@code @BeforeAll} method) takes a
 * {@link RunningShowcase} parameter to talk to it. Helidon's extension stops the server after the
 * class; this one then closes the pools and the database.
 */
public final class ShowcaseExtension implements ServerJunitExtension {

    private Showcase showcase;
    private RunningShowcase running;
    private Config config;

    @Override
    public void beforeAll(ExtensionContext context) {
        bindAndCloseAServerSocket();
        Map<String, String> own = new HashMap<>();
        ShowcaseSettings annotation = context.getRequiredTestClass().getAnnotation(ShowcaseSettings.class);
        if (annotation != null) {
            Arrays.stream(annotation.value()).map(line -> line.split("=", 2))
                    .forEach(pair -> own.put(pair[0].strip(), pair.length > 1 ? pair[1].strip() : ""));
        }
        Map<String, String> settings = new HashMap<>(RunningShowcase.TEST_SETTINGS);
        ServerTest serverTest = context.getRequiredTestClass().getAnnotation(ServerTest.class);
        if (serverTest != null && serverTest.pinningDetection()) {
            // JFR merges the settings of the recordings running in one JVM: the pinning monitor's
            // 5 ms threshold would hand Helidon's recorder every pin over 5 ms, not over its own.
            settings.put("app.pinning-monitor.threshold-ms", String.valueOf(serverTest.pinningThreshold()));
        }
        settings.putAll(own);
        config = Config.just(ConfigSources.create(settings), ConfigSources.classpath("application.yaml"));
        showcase = Showcase.create(config);
        running = new RunningShowcase(showcase);
    }

    /**
     * Helidon opens and binds the two sockets on two virtual threads at once. In a fresh JVM one of
     * them then waits, pinned, for the other's initialisation of {@code sun.nio.ch.Net} (in
     * {@code ServerSocketChannelImpl.<init>}) or {@code sun.net.NetHooks} (in {@code bind}): found by
     * pinning detection, 20.4 ms once, "Waited for initialization of ... by another thread". One
     * socket bound here first, on the test's platform thread, initialises both.
     */
    private static void bindAndCloseAServerSocket() {
        try (ServerSocketChannel channel = ServerSocketChannel.open()) {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void updateServerBuilder(WebServerConfig.Builder builder) {
        // The whole server node, as Main applies it (application.yaml's, with this class's settings on top):
        // a builder builds its features from the last config it was given, so only this one may come last.
        builder.config(config.get("server"));
        // Helidon's extension binds the main socket to "localhost"; both sockets go where Main puts them
        // (server.host, 127.0.0.1), which is where ShowcaseClient sends its requests.
        builder.host(config.get("server.host").asString().get());
        // Helidon's extension also adds the server features of its service registry, among them a
        // CorsFeature (root key "cors": on, any origin) that Main's server does not have: drop it.
        builder.features(builder.features().stream().filter(feature -> !feature.type().equals("cors")).toList());
        showcase.configure(builder);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType().equals(RunningShowcase.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext,
                                   Class<?> parameterType, WebServer server) {
        if (showcase.server() == null) {
            showcase.started(server);
            // One request before the class's own. A fresh server loads Helidon's request path on its first
            // request, and first requests that arrive together wait for that class loading pinned (found by
            // pinning detection: 88.8 ms, "Contended monitor enter" in BuiltinClassLoader.loadClassOrNull,
            // loading Filters$FilterProceeder from Filters$FilterChainImpl.proceed).
            running.get("/whoami");
        }
        return running;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (showcase != null) {
            showcase.close();
        }
    }
}
