package dev.loomshowcase;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;
import dev.loomshowcase.support.StillServing;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/**
 * Recordings cannot fill the disk: past {@code app.recordings.max-count} or
 * {@code app.recordings.max-bytes} the oldest go first (and only the files the server named), and
 * no answer tells a client where on disk they are.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings({
        "app.recordings.folder=" + RecordingCapTest.FOLDER,
        "app.recordings.max-count=3",
        "app.recordings.max-bytes=" + RecordingCapTest.MAX_BYTES})
class RecordingCapTest {

    static final String FOLDER = "target/recordings-cap";
    static final long MAX_BYTES = 8L << 20;
    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private static Reply post(String path) {
        return SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri(path)).POST(BodyPublishers.noBody()));
    }

    private static List<String> files() throws IOException {
        try (Stream<Path> listing = Files.list(Path.of(FOLDER))) {
            return listing.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static void oldRecording(String name, long bytes) throws IOException {
        Files.write(Path.of(FOLDER, name), new byte[(int) bytes]);
    }

    private static void assertNoAbsolutePath(Reply reply) {
        String absolute = Path.of(FOLDER).toAbsolutePath().toString();
        assertThat(reply.body(), not(containsString(absolute)));
        assertThat(reply.body(), not(containsString(System.getProperty("user.dir"))));
    }

    /** Starts and stops one recording; returns its file name. */
    private static String record(List<Integer> removed) {
        Reply started = post("/observe/recording/start");
        assertThat(started.body(), started.status(), is(201));
        assertNoAbsolutePath(started);
        removed.add(started.json().getInt("removed"));
        Reply stopped = post("/observe/recording/stop");
        assertThat(stopped.body(), stopped.status(), is(200));
        assertNoAbsolutePath(stopped);
        assertThat(stopped.json().getString("folder"), is(FOLDER));
        removed.add(stopped.json().getInt("removed"));
        return stopped.json().getString("file");
    }

    @Test
    void theOldestRecordingsGoFirstPastEitherCap() throws IOException {
        Path folder = Path.of(FOLDER);
        Files.createDirectories(folder);
        try (Stream<Path> old = Files.list(folder)) {
            for (Path path : old.toList()) {
                Files.delete(path);
            }
        }
        // Three earlier recordings: the middle one alone takes most of max-bytes. And a file the server did not name.
        oldRecording("pinning-20000101-000000-000.jfr", 10);
        oldRecording("pinning-20000101-000000-001.jfr", MAX_BYTES - (1 << 20));
        oldRecording("pinning-20000101-000000-002.jfr", 2 << 20);
        oldRecording("notes.txt", 10);

        List<Integer> removed = new ArrayList<>();
        String first = record(removed);
        // Newest first: 002 fits, 001 would pass max-bytes, so it goes, and 000 (older still) with it.
        assertThat("after one recording: " + files(), files(),
                containsInAnyOrder("notes.txt", "pinning-20000101-000000-002.jfr", first));
        assertThat("the start removed two", removed.getFirst(), is(2));

        String second = record(removed);
        // max-count 3: a start leaves room for itself, so the third one removes the oldest (002).
        String third = record(removed);
        assertThat("three recordings at most, the newest: " + files(), files(),
                containsInAnyOrder("notes.txt", first, second, third));
        String fourth = record(removed);
        assertThat(files(), containsInAnyOrder("notes.txt", second, third, fourth));
        assertThat("a file the server did not name is never touched", Files.exists(folder.resolve("notes.txt")), is(true));
        StillServing.assertWhoamiWithin100Ms(SHOWCASE);
    }
}
