package dev.loomshowcase.loadgen;

import java.util.List;
import java.util.Locale;

import dev.loomshowcase.loadgen.ResultsReport.Case;
import dev.loomshowcase.loadgen.ResultsReport.Stat;

/**
 * The connection-ceiling cases' table in results.md (compare/matrix.sh, ceiling_matrix): bursts
 * of one-second sleeps at what this machine's open-file limit allows, over HTTP/1.1 (a connection
 * per request) and over h2c (streams of a few hundred connections), with the connections each
 * used and the server's memory per request in flight (its peak RSS growth ÷ the requests in flight).
 */
final class CeilingTable {

    private CeilingTable() {
    }

    /** A group with an HTTP/2 burst in it: the ceiling's. */
    static boolean applies(List<Case> cases) {
        return cases.stream().anyMatch(c -> c.mode().equals("burst-h2"));
    }

    static void append(StringBuilder md, List<Case> cases) {
        md.append("| case | protocol | in flight | connections | makespan | p50 | p99 | CPU s | peak RSS MiB"
                        + " | RSS per request in flight | errors |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Case c : cases) {
            Stat perRequest = c.stat("rssPerInFlightBytes");
            Stat rss = c.stat("server.peakRssBytes");
            md.append("| ").append(c.label())
                    .append(" | ").append(c.mode().equals("burst-h2") ? "h2c" : "HTTP/1.1")
                    .append(" | ").append(c.stat("config.n").text(""))
                    .append(" | ").append(c.stat("requests.connections").text(""))
                    .append(" | ").append(c.stat("makespanMs").text(" ms"))
                    .append(" | ").append(c.stat("latency.p50").text(" ms"))
                    .append(" | ").append(c.stat("latency.p99").text(" ms"))
                    .append(" | ").append(c.stat("server.cpuSeconds").text(""))
                    .append(" | ").append(rss.count() == 0 ? "–" : ResultsReport.format(rss.median() / 1_048_576))
                    .append(" | ").append(perRequest.count() == 0 ? "–"
                            : String.format(Locale.ROOT, "%.1f KiB", perRequest.median() / 1_024))
                    .append(" | ").append(c.errors()).append(" |\n");
        }
    }
}
