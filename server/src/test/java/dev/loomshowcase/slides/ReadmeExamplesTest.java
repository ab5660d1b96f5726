package dev.loomshowcase.slides;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.loomshowcase.support.ChildShowcase;
import dev.loomshowcase.support.LocalMachine;
import dev.loomshowcase.support.Repository;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's examples ("Exercise it", the race page's stream, the tutorials' routes), done as a reader does them: a fresh showcase of its own, then
 * every {@code bash} block in order, run by bash with curl (the ports changed to the test's), and
 * every line of the output block shown after it found in what the block printed.
 *
 * <p>The numbers of a shown line are held to the real ones: a time (a number followed by
 * {@code s} or {@code ms}, or {@code real 0m1.087s}) within 30 % or 0.25 s; the figures of a
 * block that runs {@code /cpu} loops and metrics values are free (the machine's speed; a moment's
 * gauge); every other number exact, unless the line states its own tolerance in a trailing
 * comment ({@code # ±1 %}). JSON lines follow {@link JsonShape}. Ids, hashes and timestamps are
 * free. The n-th {@code real} line shown is compared with the n-th one printed.
 */
class ReadmeExamplesTest {

    private static final Path README = Repository.file("README.md");
    /** The sections whose examples a reader runs against a plain ./showcase. */
    private static final List<String> SECTIONS = List.of("## Exercise it", "## The race page", "## The tutorials' own routes");
    private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*$");
    private static final Pattern COMMENT = Pattern.compile("\\s+#\\s.*$");
    private static final Pattern STATED = Pattern.compile("±\\s*(\\d+)\\s*%");
    private static final Pattern REAL = Pattern.compile("^real\\s+(\\d+)m([\\d.]+)s$");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])(\\d+(?:\\.\\d+)?)(ms|s)?(?![\\w.])");
    private static final Pattern METRIC = Pattern.compile("^[a-z_]+\\{.*} [-\\d.E]+$");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern SHA256 = Pattern.compile("\\b[0-9a-f]{64}\\b");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z");
    private static final double TIME_FLOOR_S = 0.25;

    /** A bash block and the output block right after it. */
    record Example(int line, String script, List<String> shown) {
    }

    private static ChildShowcase showcase;
    private static Path workDir;

    @BeforeAll
    static void start() throws Exception {
        for (String tool : List.of("/usr/bin/curl", "/usr/bin/time")) {
            if (!Files.isExecutable(Path.of(tool))) {
                String missing = tool + " is missing (Debian: apt-get install curl time).";
                if (System.getenv("CI") != null) {
                    fail(missing + " CI is set, so this is a failure, not a skip.");
                }
                System.out.println("ReadmeExamplesTest skipped: " + missing);
                Assumptions.abort(missing);
            }
        }
        workDir = LocalMachine.emptyFolder(Path.of("target", "readme-examples").toAbsolutePath());
        // The S3 example uploads README.md from the reader's working directory.
        Files.copy(README, workDir.resolve("README.md"));
        showcase = ChildShowcase.start();
        // A reader's showcase has answered a few requests before the first timed burst; a JVM
        // that has served none pays for loading its classes inside the first one.
        for (int i = 0; i < 3; i++) {
            showcase.burst(20, "/sleep/virtual?ms=10");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (showcase != null) {
            showcase.close();
        }
    }

    @Test
    void everyExampleOutputIsWhatItsCommandsPrint() throws Exception {
        List<Example> examples = examples(Files.readAllLines(README));
        if (examples.size() < 10) {
            fail("found " + examples.size() + " examples in the README's \"Exercise it\"; it has more than 10");
        }
        List<String> failures = new ArrayList<>();
        for (Example example : examples) {
            // Run once, as a reader does: the blocks change state (a user, a job, pin counts), so a
            // second try would not show what the first one does.
            String printed = run(example);
            String missed = missed(example, printed);
            if (missed != null) {
                failures.add("README.md:" + example.line() + ": " + missed + "\n  the commands printed:\n    "
                        + String.join("\n    ", printed.lines().limit(40).toList()));
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n\n", failures));
        }
    }

    /** The section's bash blocks that are followed by an output block, with that block's lines. */
    static List<Example> examples(List<String> lines) {
        List<Example> examples = new ArrayList<>();
        for (String section : SECTIONS) {
            int start = lines.indexOf(section);
            if (start < 0) {
                throw new AssertionError("README.md has no \"" + section + "\" section");
            }
            examples.addAll(examples(lines, start));
        }
        return examples;
    }

    /** The bash blocks of the section starting at {@code start} that an output block follows, with that block's lines. */
    private static List<Example> examples(List<String> lines, int start) {
        List<Example> examples = new ArrayList<>();
        String script = null;
        int scriptLine = 0;
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                if (!lines.get(i).isBlank()) {
                    script = null;
                }
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            List<String> body = lines.subList(i + 1, end);
            if (fence.group(1).equals("bash")) {
                script = String.join("\n", body);
                scriptLine = i + 2;
            } else if (script != null) {
                examples.add(new Example(scriptLine, script, List.copyOf(body)));
                script = null;
            }
            i = end;
        }
        return examples;
    }

    private static String run(Example example) throws Exception {
        String script = example.script()
                .replace("127.0.0.1:8080", "127.0.0.1:" + showcase.uri("/").getPort())
                .replace("127.0.0.1:8081", "127.0.0.1:" + showcase.upstreamUri("/").getPort());
        Process bash = new ProcessBuilder("bash", "-c", script).directory(workDir.toFile()).redirectErrorStream(true).start();
        bash.getOutputStream().close();
        byte[] output = bash.getInputStream().readAllBytes();
        if (!bash.waitFor(120, TimeUnit.SECONDS)) {
            bash.destroyForcibly();
            fail("README.md:" + example.line() + ": the block did not finish within 120 s");
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    /** Null when every shown line is in the output, else the first that is not, and why. */
    private static String missed(Example example, String printed) {
        boolean cpu = example.script().contains("/cpu/");
        List<String> printedLines = printed.lines().map(String::strip).flatMap(l -> splitJson(l).stream()).toList();
        List<String> printedReal = printedLines.stream().filter(l -> REAL.matcher(l.replaceAll("\\s+", " ")).matches()).toList();
        List<String> shown = joinedJson(example.shown());
        int reals = 0;
        for (String raw : shown) {
            String line = raw.strip();
            if (line.isEmpty() || line.equals("...") || line.equals("…")) {
                continue;
            }
            String bare = COMMENT.matcher(line).replaceAll("").replaceAll("\\s+", " ");
            String why;
            if (REAL.matcher(bare).matches()) {
                why = reals < printedReal.size() ? text(line, List.of(printedReal.get(reals)), cpu)
                        : "the output shows " + (reals + 1) + " `time` results; the commands printed " + printedReal.size();
                reals++;
            } else if (line.startsWith("data:{")) {
                // A server-sent event's data: JSON, against the data lines printed.
                why = json(line.substring(5), printedLines.stream().filter(l -> l.startsWith("data:{"))
                        .map(l -> l.substring(5)).toList());
            } else {
                why = line.startsWith("{") ? json(line, printedLines) : text(line, printedLines, cpu);
            }
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /** An answer printed without a newline runs into the next one: one line per JSON value, then the rest. */
    static List<String> splitJson(String line) {
        List<String> parts = new ArrayList<>();
        int at = 0;
        while (at < line.length() && line.charAt(at) == '{') {
            int depth = 0;
            boolean inString = false;
            int end = -1;
            for (int i = at; i < line.length() && end < 0; i++) {
                char c = line.charAt(i);
                if (inString) {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if ((c == '}' || c == ']') && --depth == 0) {
                    end = i + 1;
                }
            }
            if (end < 0) {
                break;
            }
            parts.add(line.substring(at, end));
            at = end;
        }
        if (at < line.length()) {
            parts.add(line.substring(at));
        }
        return parts;
    }

    /** A JSON value shown over several lines is one line here. */
    private static List<String> joinedJson(List<String> lines) {
        List<String> joined = new ArrayList<>();
        StringBuilder open = null;
        for (String line : lines) {
            if (open != null) {
                open.append(line.strip());
                if (parses(open.toString())) {
                    joined.add(open.toString());
                    open = null;
                }
            } else if (line.strip().startsWith("{") && !parses(line.strip())) {
                open = new StringBuilder(line.strip());
            } else {
                joined.add(line);
            }
        }
        if (open != null) {
            joined.add(open.toString());
        }
        return joined;
    }

    private static boolean parses(String text) {
        try {
            Json.createReader(new StringReader(text)).readValue();
            return true;
        } catch (JsonParsingException e) {
            return false;
        }
    }

    private static String json(String line, List<String> printed) {
        if (!parses(line)) {
            return "the output shows JSON that does not parse (leave keys out instead of writing …): " + line;
        }
        JsonValue shown = Json.createReader(new StringReader(line)).readValue();
        String closest = null;
        for (String candidate : printed) {
            if (candidate.startsWith("{") && parses(candidate)) {
                String mismatch = JsonShape.mismatch(shown, Json.createReader(new StringReader(candidate)).readValue());
                if (mismatch == null) {
                    return null;
                }
                // The closest answer is the one whose first difference is deepest in the shown line.
                closest = closest == null || depth(mismatch) > depth(closest) ? mismatch : closest;
            }
        }
        return "no answer fits " + line + (closest == null ? " (none printed JSON)" : "\n  e.g. " + closest);
    }

    private static int depth(String mismatch) {
        return mismatch.split(" ", 2)[0].split("\\.").length;
    }

    private static String text(String raw, List<String> printed, boolean cpu) {
        Matcher stated = STATED.matcher(raw);
        Double tolerance = stated.find() ? Double.parseDouble(stated.group(1)) / 100 : null;
        String line = normalised(COMMENT.matcher(raw).replaceAll(""));
        String closest = null;
        for (String candidate : printed) {
            String real = normalised(candidate);
            if (!shape(real).equals(shape(line))) {
                continue;
            }
            String why = numbers(line, real, cpu || METRIC.matcher(real).matches(), tolerance);
            if (why == null) {
                return null;
            }
            closest = closest == null ? why : closest;
        }
        return "no line printed is like \"" + raw.strip() + "\"" + (closest == null ? "" : ": " + closest);
    }

    private static String normalised(String line) {
        String text = line.strip().replaceAll("\\s+", " ");
        Matcher real = REAL.matcher(text);
        if (real.matches()) {
            // bash's "real 0m1.087s" as one number of seconds, which the rules below read as a time.
            text = String.format(Locale.ROOT, "real %.3fs", Long.parseLong(real.group(1)) * 60 + Double.parseDouble(real.group(2)));
        }
        text = UUID.matcher(text).replaceAll("<uuid>");
        text = SHA256.matcher(text).replaceAll("<sha256>");
        return TIMESTAMP.matcher(text).replaceAll("<timestamp>");
    }

    private static String shape(String line) {
        return NUMBER.matcher(line).replaceAll("#$2");
    }

    /** Compares the numbers of two lines of the same shape, pair by pair. */
    private static String numbers(String shown, String real, boolean free, Double tolerance) {
        List<MatchResult> a = NUMBER.matcher(shown).results().map(MatchResult::new).toList();
        List<MatchResult> b = NUMBER.matcher(real).results().map(MatchResult::new).toList();
        for (int i = 0; i < a.size(); i++) {
            double x = a.get(i).value();
            double y = b.get(i).value();
            if (a.get(i).unit() != null) {
                double scale = a.get(i).unit().equals("ms") ? 1000 : 1;
                if (!free && !close(x / scale, y / scale)) {
                    return timeDiffers(shown, real);
                }
            } else if (!free && (tolerance == null ? x != y : Math.abs(x - y) > tolerance * y)) {
                return String.format(Locale.ROOT, "%s has %s where the real line (%s) has %s%s", shown, a.get(i).text(),
                        real, b.get(i).text(), tolerance == null ? " (a count: exact)" : " (beyond the stated tolerance)");
            }
        }
        return null;
    }

    private record MatchResult(String text, double value, String unit) {
        MatchResult(java.util.regex.MatchResult m) {
            this(m.group(), Double.parseDouble(m.group(1)), m.group(2));
        }
    }

    private static boolean close(double shownSeconds, double realSeconds) {
        return Math.abs(shownSeconds - realSeconds) <= Math.max(JsonShape.TIME_TOLERANCE * realSeconds, TIME_FLOOR_S);
    }

    private static String timeDiffers(String shown, String real) {
        return "\"" + shown + "\" against the real \"" + real + "\" (a time: within 30 % or 0.25 s)";
    }

    /** The examples of the README as they stand, for a look at what the test reads. */
    public static void main(String[] args) throws IOException {
        examples(Files.readAllLines(README)).forEach(e -> System.out.println(e.line() + ": " + e.shown().size() + " lines"));
    }
}
