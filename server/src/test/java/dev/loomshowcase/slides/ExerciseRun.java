package dev.loomshowcase.slides;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.loomshowcase.support.ChildShowcase;
import dev.loomshowcase.support.LocalMachine;
import dev.loomshowcase.support.Repository;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseClient;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordingFile;

/**
 * One exercise slide, done as a reader would do it: its Run commands in order (curl against a
 * test server, {@code ./showcase <flags>} as a child JVM, {@code jfr} on the recording that
 * child wrote, {@code compare/run} options read against the script), then every line of its
 * Observe block traced back to something those commands really printed.
 */
final class ExerciseRun implements AutoCloseable {

    private static final Pattern HTTP_STATUS = Pattern.compile("^HTTP/\\S+ (\\d{3})\\b.*");
    private static final Pattern HEADER = Pattern.compile("^([A-Za-z][A-Za-z0-9-]*): .*");
    private static final Pattern TIME_REAL = Pattern.compile("^real\\s+(\\d+)m([\\d.]+)s$");
    /**
     * A {@code time} result on a slide is within 30 % of the test's own run, or this much: the test
     * sends its copies from this JVM, where 30 curl processes take about 0.2 s more to start.
     */
    private static final long REAL_FLOOR_MS = 250;
    private static final Pattern JVM_OPTION = Pattern.compile("jvm_options\\+=\\(\"([^\"]+)\"\\)");
    private static final Pattern PROPERTY = Pattern.compile("^-D([^=]+)=.*");
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");
    /** Settings under these roots are the showcase's own: they must exist in application.yaml. */
    private static final List<String> OWN_SETTINGS = List.of("app.", "server.", "upstream.", "db.");

    private final Deck.Exercise exercise;
    private final Path workDir;
    /** The test's server, until the exercise starts a {@code ./showcase} of its own. */
    private ShowcaseClient server;
    private ChildShowcase child;
    private boolean childStopped;
    private boolean timed;
    private List<String> compareArgs;
    /** A file name the deck gives to {@code filename=}, and where the test's run wrote it. */
    private final Map<String, Path> recordings = new HashMap<>();
    private final Map<Map.Entry<String, String>, Reply> sent = new LinkedHashMap<>();
    private final List<CurlRequest> requests = new ArrayList<>();
    private final List<Map.Entry<CurlRequest, Reply>> printed = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    /** How long each line that starts with {@code time} took here, in order. */
    private final List<Long> timedMillis = new ArrayList<>();

    ExerciseRun(Deck.Exercise exercise, ShowcaseClient server) throws IOException {
        this.exercise = exercise;
        this.server = server;
        this.workDir = LocalMachine.emptyFolder(
                Path.of("target", "deck", "slide-" + exercise.slide().number()).toAbsolutePath());
    }

    private AssertionError failure(String what) {
        return new AssertionError(exercise.slide() + ": " + what);
    }

    /** Runs every command of the Run block, in order. */
    void runCommands() throws Exception {
        for (String line : exercise.commands()) {
            // `seq N | xargs -PN ... curl ...` sends N requests at once: so does the test, since
            // what the slide shows (timings, pinning counts) depends on it.
            List<List<String>> commands = ShellLine.commands(line);
            long took = runLine(commands, line);
            if (!commands.isEmpty() && commands.getFirst().getFirst().equals("time")) {
                Double shown = shownTimes().size() > timedMillis.size() ? shownTimes().get(timedMillis.size()) : null;
                if (shown != null && !withinTime(shown, took)) {
                    // Once more, as a reader would: a shared machine's hiccup, or a fresh JVM's first
                    // burst (loading classes), must not decide the figure. The faster run counts.
                    took = Math.min(took, runLine(commands, line));
                }
                timedMillis.add(took);
            }
        }
    }

    /** Runs the simple commands of one line; how long they took, in ms. */
    private long runLine(List<List<String>> commands, String line) throws Exception {
        int copies = 1;
        long start = System.nanoTime();
        for (List<String> words : commands) {
            if (words.getFirst().equals("seq")) {
                copies = Integer.parseInt(words.getLast());
            }
            run(words, line, words.getFirst().equals("xargs") ? copies : 1);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** The {@code real} times the Observe block shows, in ms, in order. */
    private List<Double> shownTimes() {
        return exercise.observed().stream().map(l -> TIME_REAL.matcher(l.strip().replaceAll("\\s+#.*$", "")))
                .filter(Matcher::matches)
                .map(m -> Long.parseLong(m.group(1)) * 60_000 + Double.parseDouble(m.group(2)) * 1000).toList();
    }

    private static boolean withinTime(double shown, long real) {
        return Math.abs(shown - real) <= Math.max(JsonShape.TIME_TOLERANCE * real, REAL_FLOOR_MS);
    }

    private void run(List<String> words, String line, int copies) throws Exception {
        String name = words.getFirst();
        List<String> args = words.subList(1, words.size());
        switch (name) {
            case "curl" -> curl(args, line, copies);
            case "./showcase" -> showcase(args);
            case "compare/run" -> compareRun(args);
            case "jfr" -> jfr(args);
            case "time" -> {
                timed = true;
                if (!args.isEmpty()) {
                    run(args, line, copies);
                }
            }
            case "xargs" -> run(afterOptions(args), line, copies);
            // Plain shell: nothing of the project's to check.
            case "seq", "sleep", "wait" -> { }
            default -> throw failure("the deck test does not know how to check `" + name + "` in: " + line);
        }
    }

    /** The command xargs runs: its words after xargs's own options. */
    private List<String> afterOptions(List<String> args) {
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("-")) {
            i += List.of("-I", "-P", "-n", "-L").contains(args.get(i)) ? 2 : 1;
        }
        if (i >= args.size()) {
            throw failure("xargs without a command");
        }
        return args.subList(i, args.size());
    }

    private void curl(List<String> args, String line, int copies) throws Exception {
        CurlRequest request;
        try {
            request = CurlRequest.parse(args);
        } catch (IllegalArgumentException e) {
            throw failure(e.getMessage() + " in: " + line);
        }
        requests.add(request);
        // The same request twice on a slide (e.g. two loops started with &) is sent once: the
        // exercise's point is the answer's shape, and a CPU loop costs seconds.
        // A burst's answers are never reused for a request sent alone: one of them waited its turn.
        Reply reply = copies == 1 ? sent.get(request.key()) : null;
        if (reply == null) {
            reply = sendCopies(request, copies);
            if (copies == 1) {
                sent.put(request.key(), reply);
            }
        }
        if (request.prints()) {
            printed.add(Map.entry(request, reply));
        }
    }

    /** Sends the request {@code copies} times at once; every answer must be 2xx. */
    private Reply sendCopies(CurlRequest request, int copies) throws Exception {
        List<Future<Reply>> replies = new ArrayList<>();
        // Platform threads, like curl's own processes: a client on virtual threads would share the
        // server's two carriers, and the slide's times would measure the client too.
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
            for (int i = 0; i < copies; i++) {
                replies.add(threads.submit(() -> server.send(request.toRequest(server))));
            }
        }
        for (Future<Reply> future : replies) {
            Reply reply = future.get();
            if (reply.status() < 200 || reply.status() > 299) {
                throw failure(request.method() + " " + request.url() + " answered " + reply.status() + ", not 2xx: " + reply.body());
            }
        }
        return replies.getFirst().get();
    }

    private void showcase(List<String> args) throws Exception {
        if (child != null) {
            throw failure("one ./showcase per exercise");
        }
        ScriptOptions options = ScriptOptions.read(Repository.file("showcase"));
        Config defaults = Config.just(ConfigSources.classpath("application.yaml"));
        List<String> jvmFlags = new ArrayList<>();
        for (String arg : args) {
            ScriptOptions.Branch branch = options.branch(arg)
                    .filter(b -> !b.refuses())
                    .orElseThrow(() -> failure("./showcase does not accept " + arg + " (it knows " + options.named() + " and JVM options)"));
            if (branch.catchAll()) {
                jvmFlags.add(withRecordingInWorkDir(arg));
            } else {
                Matcher jvm = JVM_OPTION.matcher(branch.body());
                if (!jvm.find()) {
                    throw failure("./showcase " + arg + " does something the deck test cannot repeat: " + branch.body());
                }
                jvmFlags.add(jvm.group(1));
            }
        }
        for (String flag : jvmFlags) {
            Matcher property = PROPERTY.matcher(flag);
            if (property.matches() && OWN_SETTINGS.stream().anyMatch(property.group(1)::startsWith)
                    && !defaults.get(property.group(1)).exists()) {
                throw failure(flag + " names a setting that application.yaml does not have");
            }
        }
        // A JVM that does not accept a flag does not start: ChildShowcase reports its output.
        try {
            child = ChildShowcase.start(jvmFlags.toArray(String[]::new));
        } catch (AssertionError e) {
            throw failure("./showcase " + String.join(" ", args) + ": " + e.getMessage());
        }
        server = child;
    }

    /** {@code -XX:StartFlightRecording=...,filename=X,...}: X goes to this exercise's folder. */
    private String withRecordingInWorkDir(String flag) {
        Matcher m = Pattern.compile("^(-XX:StartFlightRecording[=:])(.*)$").matcher(flag);
        if (!m.matches()) {
            return flag;
        }
        List<String> parts = new ArrayList<>();
        for (String part : m.group(2).split(",")) {
            if (part.startsWith("filename=")) {
                String name = part.substring("filename=".length());
                Path file = workDir.resolve(Path.of(name).getFileName());
                recordings.put(name, file);
                part = "filename=" + file;
            } else if (part.startsWith("settings=") && part.endsWith(".jfc")) {
                // A path from the repository's root, as ./showcase runs there; the child runs in server/.
                Path settings = Repository.file(part.substring(9));
                if (!Files.isRegularFile(settings)) {
                    throw failure(flag + ": the settings file " + part.substring(9) + " does not exist");
                }
                part = "settings=" + settings;
            }
            parts.add(part);
        }
        return m.group(1) + String.join(",", parts);
    }

    private void compareRun(List<String> args) throws IOException {
        ScriptOptions options = ScriptOptions.read(Repository.file("compare", "run"));
        for (String arg : args) {
            if (options.branch(arg).filter(b -> !b.refuses()).isEmpty()) {
                throw failure("compare/run has no option " + arg + " (it has " + options.named() + ")");
            }
        }
        compareArgs = List.copyOf(args);
    }

    private void jfr(List<String> args) throws Exception {
        if (args.size() < 2) {
            throw failure("jfr needs a command and a file: jfr " + String.join(" ", args));
        }
        String file = args.getLast();
        Path recording = recordings.get(file);
        if (recording == null) {
            throw failure("jfr reads " + file + ", which no -XX:StartFlightRecording=...,filename= of this exercise writes");
        }
        if (child != null && !childStopped) {
            // The slide's "stop the showcase (Ctrl+C)": dumponexit writes the recording.
            child.terminate();
            childStopped = true;
        }
        if (!Files.isRegularFile(recording) || Files.size(recording) == 0) {
            throw failure("the showcase wrote no recording to " + file);
        }
        int events = args.indexOf("--events");
        if (events >= 0) {
            List<String> known = new RecordingFile(recording).readEventTypes().stream().map(EventType::getName).toList();
            for (String event : args.get(events + 1).split(",")) {
                if (!known.contains(event)) {
                    throw failure("jfr print --events " + event + ": no such event type in a JDK " + Runtime.version().feature() + " recording");
                }
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jfr").toString());
        command.addAll(args.subList(0, args.size() - 1));
        command.add(recording.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw failure("jfr " + String.join(" ", args) + " failed: " + output);
        }
        outputs.add(output);
    }

    /** Every Observe line must come from what the commands printed. */
    void checkObserved() {
        List<String> observed = exercise.observed();
        int realLines = 0;
        if (child != null) {
            outputs.add(child.output());
        }
        printed.forEach(p -> outputs.add(p.getValue().body()));
        // curl -w prints even when the body goes to /dev/null.
        List<Pattern> writeOuts = requests.stream().map(CurlRequest::writeOut).filter(w -> w != null)
                .flatMap(w -> List.of(w.split("\\\\n")).stream()).filter(w -> !w.isBlank())
                .map(ExerciseRun::writeOutPattern).toList();
        for (String raw : observed) {
            String line = raw.strip();
            if (line.isEmpty() || line.equals("...") || line.equals("…")) {
                continue;
            }
            if (line.startsWith("{")) {
                checkJson(line);
            } else if (HTTP_STATUS.matcher(line).matches()) {
                int status = Integer.parseInt(HTTP_STATUS.matcher(line).replaceAll("$1"));
                if (printed.stream().noneMatch(p -> p.getKey().includeHeaders() && p.getValue().status() == status)) {
                    throw failure("Observe shows \"" + line + "\" but no curl -i of the exercise answered " + status);
                }
            } else if (HEADER.matcher(line).matches() && headerShown(line)) {
                continue;
            } else if (TIME_REAL.matcher(line.replaceAll("\\s+#.*$", "")).matches()) {
                if (!timed) {
                    throw failure("Observe shows a `time` result but the Run block times nothing: " + line);
                }
                checkTime(line.replaceAll("\\s+#.*$", ""), realLines++);
            } else if (writeOuts.stream().anyMatch(p -> p.matcher(line).matches())) {
                continue;
            } else if (compareArgs != null) {
                checkCompareLine(line);
            } else if (!printedSomewhere(line)) {
                throw failure("Observe shows a line no command of the exercise printed: \"" + line + "\"");
            }
        }
    }

    /** The n-th {@code real} line against the n-th timed line of this run. */
    private void checkTime(String line, int n) {
        if (n >= timedMillis.size()) {
            throw failure("Observe shows " + (n + 1) + " `time` results but the Run block times " + timedMillis.size() + " lines");
        }
        double shown = shownTimes().get(n);
        long real = timedMillis.get(n);
        if (!withinTime(shown, real)) {
            throw failure(String.format(java.util.Locale.ROOT,
                    "Observe shows \"%s\" (%.0f ms), but that line took %d ms here (allowed: 30 %% or %d ms)",
                    line, shown, real, REAL_FLOOR_MS));
        }
    }

    private void checkJson(String line) {
        JsonValue shown;
        try {
            shown = Json.createReader(new StringReader(line)).readValue();
        } catch (JsonParsingException e) {
            throw failure("Observe shows JSON that does not parse (trim keys or shorten strings, keep it JSON): " + line);
        }
        String closest = null;
        for (Map.Entry<CurlRequest, Reply> p : printed) {
            for (JsonValue real : jsonIn(p.getValue().body())) {
                String mismatch = JsonShape.mismatch(shown, real);
                if (mismatch == null) {
                    return;
                }
                // The closest answer is the one whose first difference comes last in the shown line.
                String candidate = p.getKey().url() + ": " + mismatch;
                closest = closest == null || keyAt(line, mismatch) > keyAt(line, closest.substring(closest.indexOf(": ") + 2))
                        ? candidate : closest;
            }
        }
        throw failure("Observe shows JSON no curl of the exercise answered: " + line
                + (closest == null ? " (no curl printed JSON)" : "\n  e.g. " + closest));
    }

    /** Where the key a mismatch names ({@code $.a.b is ...}) first appears in the shown line. */
    private static int keyAt(String line, String mismatch) {
        String path = mismatch.split(" ", 2)[0];
        return line.indexOf("\"" + path.substring(path.lastIndexOf('.') + 1).replace("[]", "") + "\"");
    }

    /** The body as one JSON value, or its lines as NDJSON. */
    private static List<JsonValue> jsonIn(String body) {
        List<JsonValue> values = new ArrayList<>();
        for (String part : body.strip().startsWith("{") && !body.strip().contains("\n") ? List.of(body) : body.lines().toList()) {
            if (part.strip().startsWith("{")) {
                try {
                    values.add(Json.createReader(new StringReader(part)).readValue());
                } catch (JsonParsingException e) {
                    // not JSON after all: other checks look at it as text
                }
            }
        }
        return values;
    }

    private boolean headerShown(String line) {
        String name = line.substring(0, line.indexOf(':'));
        return printed.stream().anyMatch(p -> p.getKey().includeHeaders() && p.getValue().header(name) != null);
    }

    /** A line like the printed one, with numbers free to differ and spacing normalised. */
    private static String shape(String text) {
        return NUMBER.matcher(text.strip().replaceAll("\\s+", " ")).replaceAll("#");
    }

    private boolean printedSomewhere(String line) {
        String wanted = shape(line);
        return outputs.stream().flatMap(String::lines).map(ExerciseRun::shape).anyMatch(l -> l.contains(wanted));
    }

    private static Pattern writeOutPattern(String format) {
        StringBuilder regex = new StringBuilder();
        Matcher variable = Pattern.compile("%\\{[a-z_]+}").matcher(format);
        int at = 0;
        while (variable.find()) {
            regex.append(Pattern.quote(format.substring(at, variable.start()))).append(".+?");
            at = variable.end();
        }
        regex.append(Pattern.quote(format.substring(at)));
        return Pattern.compile(regex.toString().strip());
    }

    /** compare/run's output: group headings and case rows of the matrix it runs, and its last line. */
    private void checkCompareLine(String line) {
        String matrix;
        String runScript;
        try {
            matrix = Files.readString(Repository.file("compare", "matrix.sh"));
            runScript = Files.readString(Repository.file("compare", "run"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        String function = compareArgs.contains("--quick") ? "quick_matrix() {" : "full_matrix() {";
        String body = matrix.substring(matrix.indexOf(function), matrix.indexOf("\n}", matrix.indexOf(function)));
        if (line.startsWith("## ")) {
            if (!body.contains("\"" + line.substring(3).strip() + "\"")) {
                throw failure("compare/run " + compareArgs + " runs no group \"" + line.substring(3) + "\" (compare/matrix.sh)");
            }
        } else if (line.startsWith("|")) {
            String label = line.split("\\|")[1].strip();
            if (!body.contains("\"" + label + "\"")) {
                throw failure("compare/run " + compareArgs + " runs no case \"" + label + "\" (compare/matrix.sh)");
            }
        } else if (!runScript.contains(line.contains(":") ? line.substring(0, line.indexOf(':') + 1) : line)) {
            throw failure("compare/run prints no line like \"" + line + "\"");
        }
    }

    @Override
    public void close() throws Exception {
        if (child != null) {
            child.close();
        }
    }
}
