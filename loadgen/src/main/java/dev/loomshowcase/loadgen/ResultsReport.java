package dev.loomshowcase.loadgen;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * Turns one compare/run into its report: {@code results.json} (every run of every case, with
 * the environment), {@code results.md} (median and min–max of the repeats per case) and SVG
 * charts, all written by this code with no network at render time.
 *
 * <pre>java -cp loadgen/target/loadgen.jar dev.loomshowcase.loadgen.ResultsReport compare/results/2026-11-22</pre>
 *
 * The folder holds {@code environment.json}, {@code cases.tsv} (id, group, label, target, per
 * line) and {@code runs/<id>/<n>.json}, one load-generator result per repeat.
 */
public final class ResultsReport {

    /** One case of the matrix and its repeats. */
    record Case(String id, String group, String label, String target, List<JsonObject> runs) {

        /** Median and range of a number found at {@code path} (e.g. "latency.p99") over the repeats. */
        Stat stat(String path) {
            double[] values = runs.stream().mapToDouble(run -> number(run, path)).filter(v -> !Double.isNaN(v)).sorted().toArray();
            if (values.length == 0) {
                return Stat.NONE;
            }
            double median = values.length % 2 == 1 ? values[values.length / 2]
                    : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
            return new Stat(median, values[0], values[values.length - 1], values.length);
        }

        /** The load's kind, from the first run: burst, open, closed, sweep or wrk. */
        String mode() {
            return runs.isEmpty() ? "" : runs.getFirst().getString("mode", "");
        }

        /** Requests per second: what a loop achieved, or the best rate a sweep passed. */
        Stat rate() {
            return mode().equals("sweep") ? stat("bestRate") : stat("achievedRate");
        }

        /** Whether some sweep passed every rate it tried, so its best rate is only a lower bound. */
        boolean rateIsLowerBound() {
            return mode().equals("sweep") && runs.stream().anyMatch(run -> !run.containsKey("stoppedAtRate")
                    || run.isNull("stoppedAtRate"));
        }

        long errors() {
            return runs.stream().mapToLong(run -> {
                JsonValue errors = run.get("errors");
                if (!(errors instanceof JsonObject byKind)) {
                    return 0;
                }
                return byKind.values().stream().mapToLong(v -> v instanceof JsonNumber n ? n.longValue() : 0).sum();
            }).sum();
        }
    }

    /** Median, min, max and count of one figure over the repeats. */
    record Stat(double median, double min, double max, int count) {
        static final Stat NONE = new Stat(Double.NaN, Double.NaN, Double.NaN, 0);

        String text(String unit) {
            if (count == 0) {
                return "–";
            }
            String median = format(this.median);
            return count == 1 || min == max ? median + unit : median + unit + " (" + format(min) + "–" + format(max) + ")";
        }
    }

    private ResultsReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ResultsReport <results folder>");
            System.exit(2);
        }
        Path folder = Path.of(args[0]);
        JsonObject environment = read(folder.resolve("environment.json"));
        List<Case> cases = cases(folder);
        Files.writeString(folder.resolve("results.json"), json(environment, cases).toString());
        Files.writeString(folder.resolve("results.md"), markdown(environment, cases));
        ResultCharts.write(folder, cases);
        System.out.println("wrote " + folder.resolve("results.json") + ", results.md and charts");
    }

    static List<Case> cases(Path folder) throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve("cases.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            Path runs = folder.resolve("runs").resolve(f[0]);
            List<JsonObject> results = new ArrayList<>();
            if (Files.isDirectory(runs)) {
                try (Stream<Path> files = Files.list(runs)) {
                    for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                        results.add(read(file));
                    }
                }
            }
            cases.add(new Case(f[0], f[1], f[2], f[3], results));
        }
        return cases;
    }

    static JsonObject json(JsonObject environment, List<Case> cases) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        for (Case c : cases) {
            JsonArrayBuilder runs = JSON.createArrayBuilder();
            c.runs().forEach(runs::add);
            array.add(JSON.createObjectBuilder().add("id", c.id()).add("group", c.group()).add("label", c.label())
                    .add("target", c.target()).add("runs", runs));
        }
        return JSON.createObjectBuilder().add("environment", environment).add("cases", array).build();
    }

    static String markdown(JsonObject environment, List<Case> cases) {
        StringBuilder md = new StringBuilder("# compare/ results\n\n");
        md.append("A single-machine measurement: generator and servers share the same cores. Each cell is the "
                + "median of the repeats, with min–max in brackets.\n\n## Environment\n\n");
        environment.forEach((key, value) -> md.append("- ").append(key).append(": ")
                .append(value instanceof jakarta.json.JsonString s ? s.getString() : value.toString()).append('\n'));
        Map<String, List<Case>> groups = new LinkedHashMap<>();
        cases.forEach(c -> groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c));
        groups.forEach((group, list) -> {
            md.append("\n## ").append(group).append("\n\n");
            if (ColdStartTable.applies(list)) {
                ColdStartTable.append(md, list);
                return;
            }
            if (ThreadsTable.applies(list)) {
                ThreadsTable.append(md, list);
                return;
            }
            if (CeilingTable.applies(list)) {
                CeilingTable.append(md, list);
                return;
            }
            md
                    .append("| case | target | makespan | p50 | p99 | side-probe p99 | requests/s | CPU s | peak RSS MiB | pinned | errors |\n")
                    .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Case c : list) {
                md.append("| ").append(c.label()).append(" | ").append(c.target())
                        .append(" | ").append(c.stat("makespanMs").text(" ms"))
                        .append(" | ").append(c.stat("latency.p50").text(" ms"))
                        .append(" | ").append(c.stat("latency.p99").text(" ms"))
                        .append(" | ").append(c.stat("probe.p99").text(" ms"))
                        .append(" | ").append(c.rateIsLowerBound() ? "≥ " : "").append(c.rate().text("/s"))
                        .append(" | ").append(c.stat("server.cpuSeconds").text(""))
                        .append(" | ").append(mib(c.stat("server.peakRssBytes")))
                        .append(" | ").append(c.stat("server.pinnedEvents").text(""))
                        .append(" | ").append(c.errors()).append(" |\n");
            }
        });
        ThroughputTable.append(md, cases);
        ServerCpuTable.append(md, cases);
        return md.toString();
    }

    private static String mib(Stat bytes) {
        return bytes.count() == 0 ? "–" : format(bytes.median() / 1_048_576);
    }

    /** A number at a dotted path of a run's JSON, or NaN when absent. */
    static double number(JsonObject run, String path) {
        JsonValue value = run;
        for (String key : path.split("\\.")) {
            if (!(value instanceof JsonObject object) || !object.containsKey(key)) {
                return Double.NaN;
            }
            value = object.get(key);
        }
        return value instanceof JsonNumber number ? number.doubleValue() : Double.NaN;
    }

    private static JsonObject read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file); var json = JSON.createReader(reader)) {
            return json.readObject();
        }
    }

    static String format(double value) {
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
