package dev.loomshowcase.support;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.loomshowcase.Showcase;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * A real showcase, started exactly as {@code Main} starts it (same wiring, same
 * application.yaml) but on free ports, plus a small HTTP client over loopback. Most tests
 * share one instance; tests that need other settings start their own with overrides.
 */
public final class RunningShowcase implements AutoCloseable {

    private static RunningShowcase shared;

    private final Showcase showcase;
    private final HttpClient client;

    private RunningShowcase(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of("server.port", "0", "upstream.port", "0"));
        settings.putAll(overrides);
        Config config = Config.just(ConfigSources.create(settings), ConfigSources.classpath("application.yaml"));
        this.showcase = Showcase.start(config);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** The instance most tests share: default settings. */
    public static synchronized RunningShowcase shared() {
        if (shared == null) {
            shared = new RunningShowcase(Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A private instance with some settings changed, e.g. {@code "app.cpu-pool.size", "1"}. */
    public static RunningShowcase with(Map<String, String> overrides) {
        return new RunningShowcase(overrides);
    }

    public Showcase showcase() {
        return showcase;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + showcase.port() + pathAndQuery);
    }

    public URI upstreamUri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + showcase.upstreamPort() + pathAndQuery);
    }

    /** A response with its body read as text; {@link #json()} parses it. */
    public record Reply(int status, Map<String, List<String>> headers, String body, long elapsedMs) {

        public JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst()
                    .orElse(null);
        }

        public String contentType() {
            return header("content-type");
        }
    }

    /** GET on the main socket, bounded by a timeout so no test can hang. */
    public Reply get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    /** Any request; the builder's URI, method and body are the caller's. */
    public Reply send(HttpRequest.Builder request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().map(), response.body(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new AssertionError("request failed: " + request.build().uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What a burst of concurrent requests did. */
    public record Burst(long makespanMs, List<Reply> replies) {

        public long failures() {
            return replies.stream().filter(r -> r.status() != 200).count();
        }
    }

    /**
     * Fires {@code n} GETs at once, each from its own virtual thread (the JDK client opens a
     * connection per concurrent request), and measures from release to the last response.
     */
    public Burst burst(int n, String pathAndQuery) throws Exception {
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    return get(pathAndQuery);
                }));
            }
            ready.await();
            long start = System.nanoTime();
            go.countDown();
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> future : futures) {
                replies.add(future.get());
            }
            return new Burst((System.nanoTime() - start) / 1_000_000, replies);
        }
    }

    @Override
    public void close() {
        showcase.close();
    }
}
