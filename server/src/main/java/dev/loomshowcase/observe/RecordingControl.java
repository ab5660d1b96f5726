package dev.loomshowcase.observe;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.locks.ReentrantLock;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Starts and stops one JFR recording with the repository's pinning profile
 * ({@code jfr/pinning.jfc}), for users who cannot run {@code jcmd} against the server. The file
 * name is chosen here, in a configured folder: nothing a client sends becomes a path.
 */
public final class RecordingControl implements AutoCloseable {

    /** The profile, on the classpath and in the repository at server/src/main/resources/jfr/pinning.jfc. */
    public static final String PROFILE = "jfr/pinning.jfc";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final Path folder;
    private final ReentrantLock lock = new ReentrantLock();
    private Recording current;
    private Path currentFile;

    /** What a start or stop did. */
    public record Outcome(boolean changed, Path file, long bytes) {
    }

    public RecordingControl(Path folder) {
        this.folder = folder;
    }

    /** Starts a recording; {@code changed=false} when one is already running. */
    public Outcome start() throws IOException {
        lock.lock();
        try {
            if (current != null) {
                return new Outcome(false, currentFile, 0);
            }
            Files.createDirectories(folder);
            Path file = folder.resolve("pinning-" + LocalDateTime.now().format(STAMP) + ".jfr").toAbsolutePath();
            Recording recording = new Recording(profile());
            recording.setName("loom-showcase pinning");
            recording.setToDisk(true);
            recording.setDestination(file);
            recording.start();
            current = recording;
            currentFile = file;
            return new Outcome(true, file, 0);
        } finally {
            lock.unlock();
        }
    }

    /** Stops the recording and writes its file; {@code changed=false} when none was running. */
    public Outcome stop() throws IOException {
        lock.lock();
        try {
            if (current == null) {
                return new Outcome(false, null, 0);
            }
            current.stop();
            current.close();
            Path file = currentFile;
            current = null;
            currentFile = null;
            return new Outcome(true, file, Files.size(file));
        } finally {
            lock.unlock();
        }
    }

    private static Configuration profile() throws IOException {
        try (Reader reader = new InputStreamReader(
                RecordingControl.class.getClassLoader().getResourceAsStream(PROFILE), StandardCharsets.UTF_8)) {
            return Configuration.create(reader);
        } catch (ParseException e) {
            throw new IOException("the JFR profile " + PROFILE + " does not parse", e);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (current != null) {
                current.close();
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
