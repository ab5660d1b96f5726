package dev.loomshowcase.loadgen;

import java.util.List;
import java.util.Locale;

import dev.loomshowcase.loadgen.ResultsReport.Case;
import dev.loomshowcase.loadgen.ResultsReport.Stat;

/**
 * The cold-start cases' table in results.md (compare/matrix.sh, coldstart_matrix): per case, the
 * time from launch to the first answer, and the first burst of 10,000 sleeps after it against the
 * fifth, medians of the launches. Its own table, since a launch has none of a load run's figures.
 */
final class ColdStartTable {

    private ColdStartTable() {
    }

    static boolean applies(List<Case> cases) {
        return !cases.isEmpty() && cases.stream().allMatch(c -> c.mode().equals("coldstart"));
    }

    static void append(StringBuilder md, List<Case> cases) {
        md.append("| case | first answer | first burst | fifth burst | first / fifth | launches |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        for (Case c : cases) {
            Stat first = c.stat("firstBurstMs");
            Stat fifth = c.stat("fifthBurstMs");
            md.append("| ").append(c.label())
                    .append(" | ").append(c.stat("firstAnswerMs").text(" ms"))
                    .append(" | ").append(first.text(" ms"))
                    .append(" | ").append(fifth.text(" ms"))
                    .append(" | ").append(first.count() == 0 || fifth.count() == 0 ? "–"
                            : String.format(Locale.ROOT, "%.2f", first.median() / fifth.median()))
                    .append(" | ").append(c.runs().size()).append(" |\n");
        }
    }
}
