package dev.loomshowcase;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.loomshowcase.support.ChildShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.Scrape;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * Stopping the showcase: SIGTERM lets an in-flight request finish; SIGKILL in the middle of
 * user creation loses no user whose creation was confirmed (file database), and the database
 * opens cleanly afterwards.
 */
@RunsBesideOthers
class ShutdownTest {

    @Test
    void sigtermLetsInFlightRequestsFinish() throws Exception {
        ChildShowcase showcase = ChildShowcase.start();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // The platform style, because its pool's meter says when the request is being served.
            CompletableFuture<Reply> inFlight = CompletableFuture.supplyAsync(
                    () -> showcase.get("/sleep/platform?ms=3000"), threads);
            Scrape.await("the request is being served", Duration.ofSeconds(10),
                    () -> Scrape.of(showcase).value("showcase_pool_active", "pool=\"platform-pool\"") == 1);
            assertThat("still in flight when SIGTERM is sent", inFlight.isDone(), is(false));
            showcase.terminate();
            Reply reply = inFlight.get();
            assertThat("the request in flight at SIGTERM completed: " + reply.body(), reply.status(), is(200));
        } finally {
            showcase.close();
        }
    }

    @Test
    void sigkillDuringUserCreationLosesNoConfirmedUser() throws Exception {
        Path folder = Files.createTempDirectory("showcase-kill");
        String[] fileDb = {"-Dapp.database.in-memory=false",
                "-Ddb.connection.url=jdbc:h2:file:" + folder.resolve("showcase") + ";DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0"};
        ConcurrentLinkedQueue<String> confirmed = new ConcurrentLinkedQueue<>();
        ChildShowcase first = ChildShowcase.start(fileDb);
        AtomicBoolean killed = new AtomicBoolean();
        // Creations sent and not yet answered, counted by the writers themselves: the kill comes while
        // some are (not inferred from which exception a cut-off request ends with).
        AtomicInteger inFlight = new AtomicInteger();
        int inFlightAtKill;
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.submit(() -> {
                    for (int i = 0; !killed.get() && i < 10_000; i++) {
                        String email = "w" + writer + "-" + i + "@example.com";
                        inFlight.incrementAndGet();
                        try {
                            Reply reply = first.send(HttpRequest.newBuilder(first.uri("/users"))
                                    .header("Content-Type", "application/json")
                                    .POST(BodyPublishers.ofString("{\"email\":\"" + email + "\",\"full_name\":\"U\"}")));
                            if (reply.status() == 201) {
                                confirmed.add(email);
                            }
                        } catch (AssertionError | RuntimeException connectionLost) {
                            return; // the server is gone
                        } finally {
                            inFlight.decrementAndGet();
                        }
                    }
                });
            }
            Scrape.await("users are being created", Duration.ofSeconds(30), () -> confirmed.size() > 10);
            Scrape.await("a creation in flight", Duration.ofSeconds(10), () -> inFlight.get() > 0);
            inFlightAtKill = inFlight.get();
            first.kill();
            killed.set(true);
        }
        assertThat("creations were in flight when the server was killed", inFlightAtKill, greaterThan(0));

        ChildShowcase second = ChildShowcase.start(fileDb);
        try {
            List<String> missing = confirmed.stream()
                    .filter(email -> second.get("/users/" + email).status() != 200)
                    .toList();
            assertThat("every user confirmed with 201 survived kill -9; missing: " + missing, missing.isEmpty(), is(true));
            assertThat("the database still takes writes", second.send(HttpRequest.newBuilder(second.uri("/users"))
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{\"email\":\"after@example.com\",\"full_name\":\"A\"}"))).status(), is(201));
        } finally {
            second.close();
        }
    }
}
