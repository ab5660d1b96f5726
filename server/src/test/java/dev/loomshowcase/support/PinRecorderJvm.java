package dev.loomshowcase.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.helidon.common.testing.virtualthreads.PinningAssertionError;
import io.helidon.common.testing.virtualthreads.PinningRecorder;

/**
 * Helidon's {@link PinningRecorder} in a JVM of its own, for JVM flags the test JVM does not
 * have (legacy locking): JFR reports only the pins of its own JVM, so the recorder runs where
 * the showcase runs. {@link #run} starts that JVM; {@link #main} is what runs in it: a showcase,
 * a warm-up, then a burst of requests inside a recording, and one line per finding.
 */
public final class PinRecorderJvm {

    /** Printed when the recorder saw no pin; otherwise {@code PINNED} and one {@code FRAME} line per frame. */
    public static final String NOT_PINNED = "NOT PINNED";
    public static final String PINNED = "PINNED";
    public static final String FRAME = "FRAME ";

    private PinRecorderJvm() {
    }

    /** What the child JVM printed, line by line. */
    public record Findings(int exitCode, List<String> lines) {

        public boolean pinned() {
            return lines.contains(PINNED);
        }

        public List<String> frames() {
            return lines.stream().filter(l -> l.startsWith(FRAME)).map(l -> l.substring(FRAME.length())).toList();
        }
    }

    /** Starts {@link #main} with the JVM flags given, for {@code requests} concurrent requests of {@code pathAndQuery}. */
    public static Findings run(String pathAndQuery, int requests, String... jvmFlags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--enable-preview", "--enable-native-access=ALL-UNNAMED", "-Xmx512m"));
        command.addAll(Arrays.asList(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PinRecorderJvm.class.getName(),
                pathAndQuery, String.valueOf(requests)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // The output is read to its end on this thread: the child exits when it is done.
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the recorder's JVM did not end within 60 s");
        }
        return new Findings(process.exitValue(), new String(output, StandardCharsets.UTF_8).lines().toList());
    }

    public static void main(String[] args) throws Exception {
        String pathAndQuery = args[0];
        int requests = Integer.parseInt(args[1]);
        // JFR merges the thresholds of a JVM's recordings: the showcase's monitor takes the recorder's.
        try (RunningShowcase showcase = RunningShowcase.with(Map.of("app.pinning-monitor.threshold-ms", "20"))) {
            showcase.burst(2, pathAndQuery.replaceAll("ms=\\d+", "ms=1"));
            PinningRecorder recorder = PinningRecorder.create();
            recorder.record(Duration.ofMillis(PinningRecorder.DEFAULT_THRESHOLD));
            long failures = showcase.burst(requests, pathAndQuery).failures();
            System.out.println("FAILURES " + failures);
            try {
                recorder.close();
                System.out.println(NOT_PINNED);
            } catch (PinningAssertionError pin) {
                System.out.println(PINNED);
                for (StackTraceElement frame : pin.getStackTrace()) {
                    System.out.println(FRAME + frame.getClassName() + "." + frame.getMethodName());
                }
            }
        }
        // Helidon's and JFR's non-daemon threads would keep this JVM alive.
        System.exit(0);
    }
}
