package dev.loomshowcase.support;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntSupplier;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * A small HTTP client for a showcase on loopback: single requests with a timeout, and bursts of
 * concurrent requests measured from one release point.
 */
public class ShowcaseClient {

    private final IntSupplier port;
    private final IntSupplier upstreamPort;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    ShowcaseClient(IntSupplier port, IntSupplier upstreamPort) {
        this.port = port;
        this.upstreamPort = upstreamPort;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port.getAsInt() + pathAndQuery);
    }

    public URI upstreamUri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + upstreamPort.getAsInt() + pathAndQuery);
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

    /** POST of a JSON body on the main socket. */
    public Reply post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** DELETE on the main socket. */
    public Reply delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
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
     * Fires {@code n} GETs at once, each from its own platform thread (the JDK client opens a
     * connection per concurrent request), and measures from release to the last response.
     * Platform threads, as the race's burst uses: a client on virtual threads would share the
     * server's two carriers, and a timing ratio would then measure the client too.
     */
    public Burst burst(int n, String pathAndQuery) throws Exception {
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("test-burst-", 0).factory())) {
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

}
