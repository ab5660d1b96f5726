package dev.loomshowcase.burst;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * This process's open-file limit, against what a run is about to need. Every connection is a
 * file descriptor here (and another one in the server), so a burst of 20,000 on a default
 * limit of 1,024 would fail a few hundred requests in and report them as errors of the server.
 * Checking before the first connect turns that into one clear message.
 *
 * <p>The JVM raises its soft limit to the hard one at start-up, so inside Java the two are
 * usually equal; {@code ulimit -n} in the starting shell is what moves them.
 *
 * @param limit     how many files this process may have open (the soft limit)
 * @param hardLimit how high the soft limit could be raised without root
 * @param inUse     how many it has open now
 */
public record OpenFiles(long limit, long hardLimit, long inUse) {

    /** Kept free beyond the connections: jars, logs, the probe, /proc reads, the JDK's poller. */
    public static final int SPARE = 64;

    /** The limits as /proc/self/limits says, or the JVM's view of them elsewhere. */
    public static OpenFiles current() {
        long inUse = openNow();
        Optional<OpenFiles> proc = of(Path.of("/proc/self"));
        if (proc.isPresent()) {
            return new OpenFiles(proc.get().limit(), proc.get().hardLimit(), inUse);
        }
        long max = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os
                ? os.getMaxFileDescriptorCount() : Long.MAX_VALUE;
        return new OpenFiles(max, max, inUse);
    }

    /**
     * Another process's limits and open files, from its {@code /proc/<pid>} folder ({@code limits}
     * and {@code fd}); empty where that cannot be read (not Linux, another user's process).
     */
    public static Optional<OpenFiles> of(Path procFolder) {
        try (Stream<Path> fds = Files.list(procFolder.resolve("fd"))) {
            long inUse = fds.count();
            for (String line : Files.readAllLines(procFolder.resolve("limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                    return Optional.of(new OpenFiles(number(fields[0]), number(fields[1]), inUse));
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // no view of it
        }
        return Optional.empty();
    }

    /**
     * Fails at once when the server, process {@code pid} on this machine, cannot take
     * {@code connections} more connections under its own open-file limit. Nothing is checked
     * without a pid, for this very process (the race page: its own check counts), or where its
     * {@code /proc} folder cannot be read.
     *
     * @throws IllegalStateException saying what the server may hold, and what to change
     */
    public static void requireAtServer(Long pid, long connections, String what) {
        if (pid == null || pid == ProcessHandle.current().pid()) {
            return;
        }
        of(Path.of("/proc", String.valueOf(pid))).ifPresent(server -> server.requireServerRoom(pid, connections, what));
    }

    /** {@link #requireAtServer(Long, long, String)} against these figures, read from the server. */
    public void requireServerRoom(long pid, long connections, String what) {
        if (connections <= free()) {
            return;
        }
        throw new IllegalStateException(what + " needs " + connections + " open files at the server too (one per"
                + " connection), but the server (pid " + pid + ") may have " + limit + " open and has " + inUse
                + " already (" + free() + " free, " + SPARE + " kept spare): start it from a shell with a higher"
                + " `ulimit -n` (at most its hard limit, " + (hardLimit == Long.MAX_VALUE ? "unlimited" : hardLimit)
                + "), or ask for fewer connections.");
    }

    private static long number(String field) {
        return field.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(field);
    }

    private static long openNow() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException notLinux) {
            return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os
                    ? os.getOpenFileDescriptorCount() : 0;
        }
    }

    /** How many more files may be opened, keeping {@link #SPARE} free. */
    public long free() {
        return limit == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, limit - inUse - SPARE);
    }

    /**
     * Fails at once when {@code connections} more open files do not fit.
     *
     * @param what the run, as a person would name it ("a burst of 5000")
     * @throws IllegalStateException saying what to raise, and how far it can go
     */
    public void require(long connections, String what) {
        if (connections <= free()) {
            return;
        }
        long needed = inUse + connections + SPARE;
        String raise = hardLimit >= Math.max(needed, 65_536)
                ? "run `ulimit -n 65536` in the shell that starts it"
                : hardLimit >= needed
                ? "run `ulimit -n " + hardLimit + "` in the shell that starts it (the hard limit is " + hardLimit + ")"
                : "the hard limit is " + hardLimit + ", too low for that: raise it as root (`ulimit -Hn 65536`"
                        + " in a root shell, or limits.conf), then `ulimit -n 65536`; or ask for fewer";
        throw new IllegalStateException(what + " needs " + connections + " open files (one per connection) plus "
                + SPARE + " spare, but this process may have " + limit + " open and has " + inUse + " already: "
                + raise + ".");
    }
}
