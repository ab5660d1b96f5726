package dev.loomshowcase.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.loomshowcase.loadgen.ResultsReport.Case;
import dev.loomshowcase.loadgen.ResultsReport.Stat;

/**
 * The charts of one compare/run, drawn from the same cases as results.md: one chart per figure
 * over every case (for compare/README), and one per figure and section (sleep, http, cpu, ...:
 * the first word of a case's id) with only that section's cases, for the deck's slides, where a
 * chart of 40 bars could not be read from the back of a room.
 */
final class ResultCharts {

    /** A figure a chart can show: its file name, title, unit, where it is in a run, and the cases that have it. */
    private record Figure(String file, String title, String unit, String path, Predicate<Case> applies) {

        /** The figure's repeats; an {@code answer.} path is a once run's answer, nested under result or not. */
        Stat of(Case c) {
            return path.startsWith("answer.") ? ThreadsTable.answer(c, path.substring("answer.".length())) : c.stat(path);
        }
    }

    private static final List<Figure> FIGURES = List.of(
            // Makespans of bursts only: an open loop's makespan is just its duration.
            new Figure("makespan", "Makespan per case (burst)", "ms", "makespanMs", c -> c.stat("config.n").count() > 0),
            new Figure("latency-p99", "Per-request p99 latency", "ms", "latency.p99", c -> true),
            new Figure("side-probe-p99", "Side probe p99 (a trivial request every 50 ms)", "ms", "probe.p99", c -> true),
            new Figure("throughput", "Requests per second, closed loops", "requests/s", "achievedRate",
                    c -> List.of("closed", "wrk").contains(c.mode())),
            new Figure("cpu-per-request", "Server CPU per answered request, open loop (lower is better)", "µs",
                    "server.cpuUsPerRequest", c -> c.mode().equals("open")),
            // The cold-start cases (coldstart_matrix): with and without the JDK's AOT cache.
            new Figure("first-answer", "Cold start: launch to the first answer", "ms", "firstAnswerMs",
                    c -> c.mode().equals("coldstart")),
            new Figure("first-burst", "Cold start: the first burst of 10,000 sleeps of 1 s after launch", "ms",
                    "firstBurstMs", c -> c.mode().equals("coldstart")),
            new Figure("fifth-burst", "Cold start: the fifth burst of 10,000 sleeps of 1 s", "ms",
                    "fifthBurstMs", c -> c.mode().equals("coldstart")),
            // The million-threads cases (threads_matrix): what each run measured and answered itself.
            new Figure("million-makespan", "n threads sleeping 1 s: makespan (start, sleep, wake-up)", "ms",
                    "answer.makespanMs", c -> c.mode().equals("once")),
            new Figure("million-heap-per-thread", "n threads sleeping 1 s: heap growth per thread", "bytes",
                    "answer.heapBytesPerThread", c -> c.mode().equals("once")),
            new Figure("million-rss-per-thread", "n threads sleeping 1 s: RSS growth per thread", "bytes",
                    "answer.rssBytesPerThread", c -> c.mode().equals("once")));

    private ResultCharts() {
    }

    /** Writes {@code <figure>.svg} over every case and {@code <section>-<figure>.svg} per section. */
    static void write(Path folder, List<Case> cases) throws IOException {
        Map<String, List<Case>> sections = new LinkedHashMap<>();
        cases.forEach(c -> sections.computeIfAbsent(section(c), s -> new ArrayList<>()).add(c));
        for (Figure figure : FIGURES) {
            chart(folder.resolve(figure.file() + ".svg"), figure.title(), figure, cases, c -> c.group() + ": " + c.label());
            for (Map.Entry<String, List<Case>> section : sections.entrySet()) {
                chart(folder.resolve(section.getKey() + "-" + figure.file() + ".svg"),
                        section.getKey() + ": " + figure.title(), figure, section.getValue(),
                        c -> withoutSection(c) + ": " + c.label());
            }
        }
    }

    /** The section of a case: the first word of its id, e.g. {@code sleep} of {@code sleep-virtual-1000}. */
    static String section(Case c) {
        int dash = c.id().indexOf('-');
        return dash < 0 ? c.id() : c.id().substring(0, dash);
    }

    private static String withoutSection(Case c) {
        String section = section(c);
        return c.group().startsWith(section + " ") ? c.group().substring(section.length() + 1) : c.group();
    }

    private static void chart(Path file, String title, Figure figure, List<Case> cases,
                              Function<Case, String> label) throws IOException {
        boolean bare = cases.stream().anyMatch(c -> c.target().equals("bare") && figure.applies().test(c));
        SvgBarChart chart = new SvgBarChart(title, figure.unit(), true).legend("blue: the showcase, orange: the FastAPI peer"
                + (bare ? ", grey: the bare JDK program" : ""));
        int bars = 0;
        for (Case c : cases) {
            Stat stat = figure.of(c);
            if (figure.applies().test(c) && stat.count() > 0) {
                chart.add(label.apply(c), stat.median(), stat.min(), stat.max(),
                        c.target().startsWith("fastapi") ? "#e3a21a" : c.target().equals("bare") ? "#888888" : "#3b6fb6");
                bars++;
            }
        }
        if (bars > 0) {
            Files.writeString(file, chart.render());
        }
    }
}
