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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import io.helidon.config.Config;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Starts and stops one JFR recording with the repository's pinning profile
 * ({@code jfr/pinning.jfc}), for users who cannot run {@code jcmd} against the server. The file
 * name is chosen here, in a configured folder: nothing a client sends becomes a path, and answers
 * name the file, never the folder's absolute path. The folder is capped: at most {@code maxCount}
 * recordings and {@code maxBytes} in all, the oldest removed first (a running recording is capped
 * to {@code maxBytes} too), so repeated starts cannot fill the disk.
 */
public final class RecordingControl implements AutoCloseable {

    /** The profile, on the classpath and in the repository at server/src/main/resources/jfr/pinning.jfc. */
    public static final String PROFILE = "jfr/pinning.jfc";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private static final String PREFIX = "pinning-";
    private static final String SUFFIX = ".jfr";

    private final Path folder;
    private final int maxCount;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private Recording current;
    private Path currentFile;

    /**
     * What a start or stop did.
     *
     * @param file    the recording's file name (in the folder), or null
     * @param bytes   its size once written
     * @param removed how many old recordings were removed to stay within the caps
     */
    public record Outcome(boolean changed, String file, long bytes, int removed) {
    }

    /** From the {@code app.recordings} node: {@code folder}, {@code max-count}, {@code max-bytes}. */
    public static RecordingControl create(Config config) {
        return new RecordingControl(Path.of(config.get("folder").asString().get()), config.get("max-count").asInt().get(),
                config.get("max-bytes").asLong().get());
    }

    /**
     * @param folder   where recordings go ({@code app.recordings.folder})
     * @param maxCount recordings kept at most ({@code app.recordings.max-count}), the new one included
     * @param maxBytes bytes kept at most, all recordings together ({@code app.recordings.max-bytes})
     */
    public RecordingControl(Path folder, int maxCount, long maxBytes) {
        if (maxCount < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("app.recordings.max-count and max-bytes must be at least 1");
        }
        this.folder = folder;
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /** The folder as a client may see it: as configured when relative, else only the config key. */
    public String folderShown() {
        return folder.isAbsolute() ? "<app.recordings.folder>" : folder.toString();
    }

    public int maxCount() {
        return maxCount;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Starts a recording; {@code changed=false} when one is already running. */
    public Outcome start() throws IOException {
        lock.lock();
        try {
            if (current != null) {
                return new Outcome(false, currentFile.getFileName().toString(), 0, 0);
            }
            Files.createDirectories(folder);
            // Room for the new one: maxCount - 1 old recordings at most.
            int removed = prune(maxCount - 1, maxBytes);
            Path file = folder.resolve(PREFIX + LocalDateTime.now().format(STAMP) + SUFFIX).toAbsolutePath();
            Recording recording = new Recording(profile());
            recording.setName("loom-showcase pinning");
            recording.setToDisk(true);
            // JFR drops its oldest chunks past this, so one long recording stays within the cap too.
            recording.setMaxSize(maxBytes);
            recording.setDestination(file);
            recording.start();
            current = recording;
            currentFile = file;
            return new Outcome(true, file.getFileName().toString(), 0, removed);
        } finally {
            lock.unlock();
        }
    }

    /** Stops the recording and writes its file; {@code changed=false} when none was running. */
    public Outcome stop() throws IOException {
        lock.lock();
        try {
            if (current == null) {
                return new Outcome(false, null, 0, 0);
            }
            current.stop();
            current.close();
            Path file = currentFile;
            current = null;
            currentFile = null;
            // The new file counts now: older ones go until the whole folder is within both caps.
            int removed = prune(maxCount, maxBytes);
            return new Outcome(true, file.getFileName().toString(), Files.exists(file) ? Files.size(file) : 0, removed);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the oldest recordings (by name, which is their start time) until at most
     * {@code count} remain and they hold at most {@code bytes}; the newest counts whatever its size
     * (a single recording JFR already keeps within {@code maxBytes}). Only files this class names
     * are touched.
     */
    private int prune(int count, long bytes) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(path -> {
                        String name = path.getFileName().toString();
                        return name.startsWith(PREFIX) && name.endsWith(SUFFIX) && Files.isRegularFile(path);
                    })
                    .sorted(Comparator.comparing((Path path) -> path.getFileName().toString()).reversed())
                    .toList();
        }
        int removed = 0;
        long kept = 0;
        boolean full = false;
        for (int i = 0; i < files.size(); i++) {
            long size = Files.size(files.get(i));
            // Once one file is over a cap, every older one goes too: the oldest are removed first.
            full |= i >= count || i > 0 && kept + size > bytes;
            if (full) {
                Files.deleteIfExists(files.get(i));
                removed++;
            } else {
                kept += size;
            }
        }
        return removed;
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
