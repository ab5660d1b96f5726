package dev.loomshowcase;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.loomshowcase.burst.Burst;
import dev.loomshowcase.burst.OpenFiles;
import dev.loomshowcase.burst.Options;
import dev.loomshowcase.burst.Target;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.logging.common.LogConfig;

/**
 * The training run for the JDK's AOT cache (JEP 483, made in one step by JEP 514, with method
 * profiles by JEP 515): a showcase on free loopback ports, in memory, answers a few bursts of
 * every scenario and the routes a reader calls first, then stops. The JVM that runs this with
 * {@code -XX:AOTCacheOutput=FILE} writes, as it exits, the classes it loaded and linked and the
 * profiles it gathered; a {@code ./showcase} started with {@code -XX:AOTCache=FILE} begins with
 * them instead of loading, linking and profiling from scratch. {@code .mvn/aot.sh} runs it.
 */
public final class Training {

    /** The whole run stays under this, whatever the machine: the cache is a help, never a wait. */
    private static final Duration BUDGET = Duration.ofSeconds(20);
    private static final int BURST = 40;
    /**
     * compare/'s burst of 10,000 sleeps, smaller: its path (10,000 accepts, a virtual thread per
     * connection, the sleep route, the client watch) runs thousands of times at once in a burst, so
     * the cache's profiles have it hot, and the first burst after a start is not the slowest.
     */
    private static final int SLEEP_BURST = 4_000;
    private static final int SLEEP_BURSTS = 3;
    private static final Duration BURST_ROOM = Duration.ofSeconds(5);

    /** What a reader's first minutes ask for: each path is sent as a burst, in this order. */
    private static final List<String> PATHS = List.of("/whoami", "/", "/sleep/virtual?ms=50", "/sleep/platform?ms=10",
            "/sleep/limited?ms=10", "/sleep/reactive?ms=50", "/sleep/eventloop-blocked?ms=0", "/http/virtual?ms=20",
            "/http/reactive?ms=20", "/http/platform?ms=10", "/fanout/structured?calls=3&ms=20",
            "/fanout/futures?calls=3&ms=20", "/fanout/sequential?calls=2&ms=0", "/fanout/platform?calls=3&ms=0",
            "/db/virtual?ms=10", "/db/reactive?ms=10", "/cpu/virtual?n=1000000", "/cpu/platform?n=1000000",
            "/cpu/yielding?n=2000000", "/cpu/parallel?n=2000000", "/users?page=1&size=5", "/observe/pinning",
            "/observe/scheduler", "/observe/metrics", "/stream?items=20", "/threads/virtual?n=2000&ms=10",
            "/sleep/virtual?ms=70000");

    private Training() {
    }

    public static void main(String[] args) throws Exception {
        LogConfig.configureRuntime();
        Path recordings = Files.createTempDirectory("loom-showcase-training");
        Config config = Config.just(ConfigSources.create(Map.of("server.port", "0", "upstream.port", "0",
                "app.database.in-memory", "true", "app.recordings.folder", recordings.toString())),
                ConfigSources.classpath("application.yaml"));
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int answered = 0;
        try (Showcase showcase = Startup.start(config);
             HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
             // Platform threads, as a client of the server would be: the carriers are the server's.
             ExecutorService senders = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
            String base = "http://127.0.0.1:" + showcase.port();
            for (int round = 0; round < 3 && System.nanoTime() < deadline; round++) {
                for (String path : PATHS) {
                    if (System.nanoTime() >= deadline) {
                        break;
                    }
                    List<Future<Integer>> burst = new ArrayList<>();
                    for (int i = 0; i < BURST; i++) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                                .timeout(Duration.ofSeconds(5)).build();
                        burst.add(senders.submit(() -> client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()));
                    }
                    for (Future<Integer> reply : burst) {
                        reply.get();
                        answered++;
                    }
                }
            }
            // Each connection is two files in this process (client and server side).
            int n = (int) Math.min(SLEEP_BURST, OpenFiles.current().free() / 2);
            Options sleeps = Options.of(Target.of(base + "/sleep/virtual?ms=200")).withTimeout(Duration.ofSeconds(10));
            // A burst is begun only with a few seconds of the budget left: it runs to its end once begun.
            for (int i = 0; i < SLEEP_BURSTS && n > 0 && deadline - System.nanoTime() > BURST_ROOM.toNanos(); i++) {
                answered += (int) Burst.run(sleeps, n).answered();
            }
        }
        System.out.println("AOT training: " + answered + " answers in "
                + Duration.ofNanos(System.nanoTime() - deadline + BUDGET.toNanos()).toMillis() + " ms");
        // The HTTP client's and Helidon's non-daemon threads would keep the JVM, and the cache, from ending.
        System.exit(0);
    }
}
