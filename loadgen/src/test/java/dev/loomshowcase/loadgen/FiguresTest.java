package dev.loomshowcase.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.loomshowcase.support.Repository;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

/**
 * Keeps every measured figure of the deck, the README and compare/README.md true to the committed
 * compare run it comes from. {@code compare/figures.tsv} lists each figure: the file, its exact
 * text, the run, the case (or two cases "a/b" for a ratio), the measure and a tolerance. The
 * value is the first number of the text, in the unit that follows it (ms, s, k, ×); the expected
 * value is the median over the case's repeats of the measure in that run's results.json.
 *
 * <p>The reverse check: in the scanned sections (the deck's and compare/README's measured
 * sections, the README's "Numbers"), every number followed by ms, s, ×, /s or requests/s must sit
 * inside a listed figure, or inside an entry of {@code compare/figures-allowed.tsv}: numbers that
 * are not measurements (parameters such as 5 × 200 ms, bounds, config defaults, run lengths).
 */
class FiguresTest {

    private static final Path FIGURES = Repository.file("compare", "figures.tsv");
    private static final Path ALLOWED = Repository.file("compare", "figures-allowed.tsv");
    private static final Path RESULTS = Repository.file("compare", "results");

    /** The sections the reverse scan reads, by file: a section runs from its heading to the next heading. */
    private static final Map<String, List<String>> SCANNED = Map.of(
            "slides/deck.md", List.of(
                    "## Measured: bursts of 1-second sleeps",
                    "## A blocked loop blocks everyone — or only itself",
                    "## One slow upstream call",
                    "## Fan-out, measured",
                    "## Cheap waiting does not make connections",
                    "## A loop keeps its carrier",
                    "## Measured: 20 loops at once",
                    "## Three pinned styles",
                    "## The showcase vs the FastAPI peer",
                    "## A million sleepers: started fast, awake late"),
            "README.md", List.of("## Numbers"),
            "compare/README.md", List.of(
                    "## Helidon 4.5.0 against the last full run (4.1.7): `--quick`, 2026-12-01",
                    "## Latest full run: 2026-12-01",
                    "### The same matrix again, the same evening: 25 minutes",
                    "### What stands in the way, measured",
                    "## Where a burst of 10,000 sleeps spends its time",
                    "## The full run of 2026-11-22 (Helidon 4.1.7)",
                    "## A million sleepers: `/threads`",
                    "### What the million-thread run found",
                    "### Findings"));

    /** A number, then an optional space, then a unit of time, rate or ratio: what looks measured. */
    private static final Pattern LOOKS_MEASURED =
            Pattern.compile("(?<![\\w:/.,-])\\d[\\d,.]*(?: |\\u00a0)?(?:ms\\b|s\\b|×|k?/s|k requests/s|requests/s)");

    private static final Pattern NUMBER_AND_UNIT =
            Pattern.compile("(\\d[\\d,]*(?:\\.\\d+)?)(?:.*?((?<=[\\d\\s])(?:ms|s|k)\\b|×))?");

    record Figure(int line, String file, String text, String run, String cases, String measure, double tolerance) {
        @Override
        public String toString() {
            return "figures.tsv:" + line + " " + file + " \"" + text + "\"";
        }
    }

    @Test
    void everyListedFigureIsInItsFileAndWithinToleranceOfItsRun() throws IOException {
        List<String> wrong = new ArrayList<>();
        List<Figure> figures = figures();
        for (Figure figure : figures) {
            String content = Files.readString(Repository.file(figure.file()));
            if (!content.contains(figure.text())) {
                wrong.add(figure + ": this text is no longer in the file");
                continue;
            }
            double shown = shownValue(figure);
            double measured = measured(figure);
            double off = Math.abs(shown - measured) / measured;
            if (off > figure.tolerance()) {
                wrong.add(String.format(Locale.ROOT, "%s: shows %.3f, the run has %.3f (off by %.1f %%, tolerance %.0f %%)",
                        figure, shown, measured, off * 100, figure.tolerance() * 100));
            }
        }
        assertThat("figures that drifted from their committed run:\n" + String.join("\n", wrong), wrong, empty());
        assertThat("figures listed", figures.size() >= 100, org.hamcrest.Matchers.is(true));
    }

    @Test
    void everyMeasuredLookingNumberInTheScannedSectionsIsListedOrAllowed() throws IOException {
        List<Figure> figures = figures();
        List<String[]> allowed = rows(ALLOWED);
        List<String> unlisted = new ArrayList<>();
        for (var entry : SCANNED.entrySet()) {
            String file = entry.getKey();
            String content = Files.readString(Repository.file(file));
            boolean[] covered = new boolean[content.length()];
            figures.stream().filter(f -> f.file().equals(file)).forEach(f -> cover(content, f.text(), covered));
            allowed.stream().filter(a -> a[0].equals(file)).forEach(a -> cover(content, a[1].replace("\\n", "\n"), covered));
            for (String heading : entry.getValue()) {
                int start = content.indexOf("\n" + heading + "\n");
                if (start < 0) {
                    unlisted.add(file + ": the scanned section \"" + heading + "\" is gone (update SCANNED)");
                    continue;
                }
                int end = content.indexOf("\n#", start + heading.length() + 2);
                int slideEnd = content.indexOf("\n---\n", start + 1);
                if (end < 0 || (slideEnd >= 0 && slideEnd < end)) {
                    end = slideEnd >= 0 ? slideEnd : content.length();
                }
                Matcher m = LOOKS_MEASURED.matcher(content).region(start, end);
                while (m.find()) {
                    if (!covered[m.start()]) {
                        int line = content.substring(0, m.start()).split("\n", -1).length;
                        unlisted.add(file + ":" + line + " \"" + m.group() + "\" in "
                                + content.substring(content.lastIndexOf('\n', m.start()) + 1,
                                Math.max(m.end(), content.indexOf('\n', m.end()))).strip());
                    }
                }
            }
        }
        assertThat("numbers that look measured but are neither in compare/figures.tsv nor in "
                + "compare/figures-allowed.tsv:\n" + String.join("\n", unlisted), unlisted, empty());
    }

    private static void cover(String content, String text, boolean[] covered) {
        for (int at = content.indexOf(text); at >= 0; at = content.indexOf(text, at + 1)) {
            for (int i = at; i < at + text.length(); i++) {
                covered[i] = true;
            }
        }
    }

    /** The first number of the text, in ms for a time (s × 1000), per second for a rate (k × 1000). */
    static double shownValue(Figure figure) {
        Matcher m = NUMBER_AND_UNIT.matcher(figure.text().replace("≥ ", ""));
        if (!m.find()) {
            throw new IllegalArgumentException(figure + ": no number in the text");
        }
        double value = Double.parseDouble(m.group(1).replace(",", ""));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "s", "k" -> value * 1000;
            default -> value;
        };
    }

    private static final Map<String, JsonObject> RUNS = new HashMap<>();

    /** The median of the measure over the case's repeats; for "a/b", the ratio of the two medians. */
    static double measured(Figure figure) {
        String[] cases = figure.cases().split("/");
        double value = aggregate(figure, cases[0]);
        if (cases.length == 2) {
            return value / aggregate(figure, cases[1]);
        }
        return figure.measure().contains("Seconds") ? value * 1000 : value; // shown values of time are in ms
    }

    private static double aggregate(Figure figure, String caseId) {
        JsonObject run = RUNS.computeIfAbsent(figure.run(), FiguresTest::readRun);
        JsonObject theCase = run.getJsonArray("cases").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("id").equals(caseId))
                .findFirst()
                .orElseThrow(() -> new AssertionError(figure + ": no case " + caseId + " in " + figure.run()));
        String[] measureAndHow = figure.measure().split(":");
        List<Double> values = new ArrayList<>();
        for (JsonObject repeat : theCase.getJsonArray("runs").getValuesAs(JsonObject.class)) {
            JsonValue v = repeat;
            for (String key : measureAndHow[0].split("\\.")) {
                v = v.asJsonObject().get(key);
            }
            if (v == null || v == JsonValue.NULL) {
                continue; // a repeat that did not measure it (a sweep that passed no step): only min/max may skip it
            }
            if (!(v instanceof JsonNumber n)) {
                throw new AssertionError(figure + ": " + figure.measure() + " is not a number in " + caseId);
            }
            values.add(n.doubleValue());
        }
        values.sort(Double::compare);
        String how = measureAndHow.length > 1 ? measureAndHow[1] : "median";
        int repeats = theCase.getJsonArray("runs").size();
        if (values.isEmpty() || (how.equals("median") && values.size() < repeats)) {
            throw new AssertionError(figure + ": " + figure.measure() + " is measured in only " + values.size()
                    + " of " + repeats + " repeats of " + caseId + ": a median of them would mislead");
        }
        return switch (how) {
            case "min" -> values.getFirst();
            case "max" -> values.getLast();
            case "median" -> values.size() % 2 == 1
                    ? values.get(values.size() / 2)
                    : (values.get(values.size() / 2 - 1) + values.get(values.size() / 2)) / 2;
            default -> throw new AssertionError(figure + ": unknown aggregate " + how);
        };
    }

    private static JsonObject readRun(String run) {
        try (InputStream in = Files.newInputStream(RESULTS.resolve(run).resolve("results.json"));
             var reader = Json.createReader(in)) {
            return reader.readObject();
        } catch (IOException e) {
            throw new AssertionError("cannot read the run " + run, e);
        }
    }

    private static List<Figure> figures() throws IOException {
        List<Figure> figures = new ArrayList<>();
        List<String> lines = Files.readAllLines(FIGURES);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 6) {
                throw new AssertionError("figures.tsv:" + (i + 1) + " needs 6 tab-separated columns, has " + f.length);
            }
            figures.add(new Figure(i + 1, f[0], f[1], f[2], f[3], f[4],
                    Double.parseDouble(f[5].replace("%", "").strip()) / 100));
        }
        return figures;
    }

    private static List<String[]> rows(Path tsv) throws IOException {
        return Files.readAllLines(tsv).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("\t"))
                .toList();
    }
}
