package dev.loomshowcase.loadgen;

import java.util.List;

import dev.loomshowcase.loadgen.ResultsReport.Case;
import dev.loomshowcase.loadgen.ResultsReport.Stat;

/**
 * The million-threads cases' table in results.md (compare/matrix.sh, threads_matrix): per case,
 * the figures the /threads route (or the bare program, or a FastAPI twin) measured itself and
 * answered, read from a {@code once} run's {@code answer}: makespan, time to start them all, the
 * wake-up phase, peak live threads, heap and RSS per thread. Medians of the repeats.
 */
final class ThreadsTable {

    private ThreadsTable() {
    }

    static boolean applies(List<Case> cases) {
        return !cases.isEmpty() && cases.stream().allMatch(c -> c.mode().equals("once"));
    }

    /** A figure of the answer: under {@code result} as the showcase answers, or at its top. */
    static Stat answer(Case c, String field) {
        Stat nested = c.stat("answer.result." + field);
        return nested.count() > 0 ? nested : c.stat("answer." + field);
    }

    static void append(StringBuilder md, List<Case> cases) {
        md.append("| case | target | makespan | start all | wake-up | peak live | heap B/thread | RSS B/thread | errors |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Case c : cases) {
            md.append("| ").append(c.label()).append(" | ").append(c.target())
                    .append(" | ").append(answer(c, "makespanMs").text(" ms"))
                    .append(" | ").append(answer(c, "startAllMs").text(" ms"))
                    .append(" | ").append(answer(c, "wakeMs").text(" ms"))
                    .append(" | ").append(answer(c, "peakLive").text(""))
                    .append(" | ").append(answer(c, "heapBytesPerThread").text(""))
                    .append(" | ").append(answer(c, "rssBytesPerThread").text(""))
                    .append(" | ").append(c.errors()).append(" |\n");
        }
    }
}
