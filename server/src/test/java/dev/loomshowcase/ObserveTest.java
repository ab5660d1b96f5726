package dev.loomshowcase;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.Scrape;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * The observe routes: a JFR recording started and stopped over HTTP contains the pinning, and
 * the live stream delivers pinning events as server-sent events and ends by itself. Pins on
 * purpose (pinned-native): no pinning detection here.
 */
@ServerTest
class ObserveTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private Reply post(String path) {
        return SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void recordingOverHttpCapturesPinning() throws Exception {
        Reply started = post("/observe/recording/start");
        assertThat(started.body(), started.status(), is(201));
        assertThat("one recording at a time", post("/observe/recording/start").status(), is(409));
        assertThat(SHOWCASE.burst(2, "/sleep/pinned-native?ms=50").failures(), is(0L));
        Reply stopped = post("/observe/recording/stop");
        assertThat(stopped.body(), stopped.status(), is(200));
        assertThat("nothing left to stop", post("/observe/recording/stop").status(), is(409));

        // The answer names the file in the configured folder, never an absolute path.
        assertThat(stopped.json().getString("folder"), is("target/recordings"));
        Path file = Path.of("target/recordings").resolve(stopped.json().getString("file"));
        assertThat(stopped.json().getString("file"), containsString("pinning-"));
        assertThat(Files.size(file), greaterThan(0L));
        List<RecordedEvent> pinned = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.VirtualThreadPinned"))
                .toList();
        assertThat("the recording holds the pinning, with the profile's stack traces", pinned.size(), greaterThanOrEqualTo(1));
        assertThat(pinned.getFirst().getStackTrace().getFrames().isEmpty(), is(false));
        Files.delete(file);
    }

    @Test
    void pinningStreamDeliversServerSentEventsAndEndsByItself() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(SHOWCASE.uri("/observe/pinning/stream?seconds=4"))
                .timeout(Duration.ofSeconds(20)).build();
        CompletableFuture<HttpResponse<java.io.InputStream>> response =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<java.io.InputStream> stream = response.get(10, TimeUnit.SECONDS);
        assertThat(stream.statusCode(), is(200));
        assertThat(stream.headers().firstValue("content-type").orElse(""), containsString("text/event-stream"));

        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
            List<String> read = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                reader.lines().forEach(read::add);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return read;
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        // The stream's events are the ones that happen while it is subscribed: pin only once it is.
        Scrape.await("the stream is subscribed to the pinning monitor", Duration.ofSeconds(10),
                () -> SHOWCASE.showcase().pinningMonitor().subscriberCount() == 1);
        assertThat(SHOWCASE.burst(2, "/sleep/pinned-native?ms=50").failures(), is(0L));
        List<String> read = lines.get(20, TimeUnit.SECONDS);
        // Other pinning may show up too (e.g. the server's own start-up waiting on a class
        // initialiser); look for the burst's events among them.
        List<JsonObject> events = new ArrayList<>();
        for (int i = 0; i + 1 < read.size(); i++) {
            // The SSE field syntax: "name:value", one optional space after the colon.
            if (read.get(i).matches("event: ?pinned")) {
                events.add(Json.createReader(new java.io.StringReader(read.get(i + 1).replaceFirst("^data: ?", ""))).readObject());
            }
        }
        assertThat("pinned events arrived: " + read, events.isEmpty(), is(false));
        // Short pins of another cause (e.g. "Freeze or preempt failed" on a contended monitor) may
        // come from the same requests; the native frame's own pinning must be among them.
        events.stream()
                .filter(e -> e.getString("route").equals("/sleep/pinned-native"))
                .filter(e -> e.getString("pinnedReason").equals("Native or VM frame on stack"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no native-frame event for /sleep/pinned-native in " + read));
        assertThat("the stream ends by itself", read.stream().anyMatch(line -> line.matches("event: ?end")), is(true));
    }
}
