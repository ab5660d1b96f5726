package dev.loomshowcase;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * Timers starve too: a 300 ms sleep ({@code /cpu/timer}) wakes a second late while two
 * {@code /cpu/virtual} loops hold both carriers of the test JVM, and on time beside two
 * {@code /cpu/platform} loops, which the OS time-slices against the carriers.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings("app.cpu-pool.size=2")
class TimerStarvationTest {

    private static final long DEADLINE_MS = 300;
    /** About 1.2 s of loop here (0.3 s per 10^9): long enough to hold both carriers well past the deadline. */
    private static final long LOOP_N = 4_000_000_000L;

    private static RunningShowcase SHOWCASE;
    /** Platform threads for the client: a virtual-thread client in this JVM would wait for the carriers too. */
    private static ExecutorService CLIENTS;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
        CLIENTS = Executors.newFixedThreadPool(3);
        SHOWCASE.get("/cpu/timer?ms=1");
        SHOWCASE.get("/cpu/virtual?n=1000000");
        SHOWCASE.get("/cpu/platform?n=1000000");
    }

    @AfterAll
    static void stop() {
        CLIENTS.shutdownNow();
    }

    @Test
    void aloneTheTimerWakesOnTimeAndSaysSo() {
        JsonObject result = SHOWCASE.get("/cpu/timer?ms=" + DEADLINE_MS).json().getJsonObject("result");
        long asked = result.getJsonNumber("askedMs").longValue();
        long took = result.getJsonNumber("tookMs").longValue();
        assertThat(asked, is(DEADLINE_MS));
        assertThat("it slept at least what it asked", took, greaterThanOrEqualTo(asked));
        assertThat(result.getJsonNumber("overrunMs").longValue(), is(took - asked));
    }

    @Test
    void virtualLoopsMakeTheTimerLatePlatformLoopsDoNot(@TempDir Path temp) throws Exception {
        long underVirtual = overrunBeside("/cpu/virtual", temp.resolve("virtual"));
        long underPlatform = overrunBeside("/cpu/platform", temp.resolve("platform"));
        String both = "overrun of a " + DEADLINE_MS + " ms sleep: " + underVirtual + " ms beside /cpu/virtual loops, "
                + underPlatform + " ms beside /cpu/platform loops";
        System.out.println(both);
        assertThat(both, underVirtual, greaterThanOrEqualTo(3 * DEADLINE_MS));
        assertThat(both, underVirtual, greaterThanOrEqualTo(3 * Math.max(underPlatform, 1)));
    }

    /**
     * Starts a 300 ms timer, waits until its thread is asleep, then runs two loops of {@code loopRoute}
     * (one per carrier), and returns the overrun the timer reported.
     */
    private static long overrunBeside(String loopRoute, Path dumps) throws Exception {
        CompletableFuture<Reply> timer = CompletableFuture.supplyAsync(
                () -> SHOWCASE.get("/cpu/timer?ms=" + DEADLINE_MS), CLIENTS);
        awaitTimerAsleep(dumps);
        List<CompletableFuture<Reply>> loops = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            loops.add(CompletableFuture.supplyAsync(() -> SHOWCASE.get(loopRoute + "?n=" + LOOP_N), CLIENTS));
        }
        Reply reply = timer.get();
        for (CompletableFuture<Reply> loop : loops) {
            assertThat(loopRoute + " answered", loop.get().status(), is(200));
        }
        assertThat(reply.body(), reply.status(), is(200));
        return reply.json().getJsonObject("result").getJsonNumber("overrunMs").longValue();
    }

    /** Waits, by the JVM's own thread dump (virtual threads included), until a thread sleeps in the timer's work. */
    private static void awaitTimerAsleep(Path dumps) throws Exception {
        Files.createDirectories(dumps);
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (int i = 0; System.nanoTime() < deadline; i++) {
            Path dump = dumps.resolve("threads-" + i + ".json");
            hotspot.dumpThreads(dump.toAbsolutePath().toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            if (Files.readString(dump).contains("dev.loomshowcase.work.TimerRoute.sleepAndMeasure")) {
                return;
            }
        }
        throw new AssertionError("no thread slept in /cpu/timer within 10 s");
    }
}
