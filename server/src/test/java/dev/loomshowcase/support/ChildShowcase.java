package dev.loomshowcase.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The showcase in a JVM of its own, started with extra JVM flags (e.g. legacy locking), as a
 * user starts it with {@code ./showcase <flags>}. Its ports are read from the start-up banner.
 */
public final class ChildShowcase extends ShowcaseClient implements AutoCloseable {

    private static final Pattern MAIN = Pattern.compile("Which thread serves you:\\s+http://127\\.0\\.0\\.1:(\\d+)/whoami");
    private static final Pattern UPSTREAM = Pattern.compile("Upstream mock \\(external APIs\\):\\s+http://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final List<String> output;

    private ChildShowcase(Process process, int port, int upstreamPort, List<String> output) {
        super(() -> port, () -> upstreamPort);
        this.process = process;
        this.output = output;
    }

    /** Starts {@code dev.loomshowcase.Main} on free ports with the given JVM flags; waits up to 60 s. */
    public static ChildShowcase start(String... jvmFlags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-preview");
        command.add("--enable-native-access=ALL-UNNAMED");
        // Defaults first: a flag given by the test for the same property comes later and wins.
        command.addAll(List.of("-Dserver.port=0", "-Dupstream.port=0", "-Dapp.database.in-memory=true", "-Xmx512m"));
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.loomshowcase.Main"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        // A platform thread of its own: reading a pipe must not depend on the carriers or the
        // common pool, which the tests of pinning keep busy on purpose.
        CompletableFuture<int[]> ports = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("child-showcase-output").start(() -> {
            try {
                ports.complete(readPorts(process, output));
            } catch (RuntimeException e) {
                ports.completeExceptionally(e);
            }
        });
        try {
            int[] found = ports.get(60, TimeUnit.SECONDS);
            return new ChildShowcase(process, found[0], found[1], output);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new AssertionError("the child showcase did not start: " + String.join("\n", output), e);
        }
    }

    private static int[] readPorts(Process process, List<String> output) {
        int main = -1;
        int upstream = -1;
        // Not closed here once the ports are found: it goes to the draining thread, and closing it
        // would wait for that thread's blocked read (BufferedReader holds its lock while it reads),
        // that is, until the child exits, and the ports would never be reported.
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
                Matcher m = MAIN.matcher(line);
                if (m.find()) {
                    main = Integer.parseInt(m.group(1));
                }
                Matcher u = UPSTREAM.matcher(line);
                if (u.find()) {
                    upstream = Integer.parseInt(u.group(1));
                }
                if (main > 0 && upstream > 0) {
                    // Keep reading the child's output so it never blocks on a full pipe; this
                    // thread owns the reader from now on and closes it when the child is gone.
                    Thread.ofPlatform().daemon().start(() -> {
                        try (reader) {
                            reader.lines().forEach(l -> {
                                synchronized (output) {
                                    output.add(l);
                                }
                            });
                        } catch (java.io.IOException | java.io.UncheckedIOException e) {
                            // the child has gone
                        }
                    });
                    return new int[] {main, upstream};
                }
            }
            reader.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("child exited before printing its ports");
    }

    /** Sends SIGTERM, as Ctrl+C or a service manager would, and waits for the JVM to exit. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the showcase did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** Sends SIGKILL: the JVM gets no chance to clean up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** What the showcase printed so far. */
    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
