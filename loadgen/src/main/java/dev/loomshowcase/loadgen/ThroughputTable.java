package dev.loomshowcase.loadgen;

import java.util.List;
import java.util.Locale;

import dev.loomshowcase.loadgen.ResultsReport.Case;

/**
 * The throughput headline of results.md: the showcase against the FastAPI peer in both its
 * configurations (target {@code fastapi}: the tutorials' one worker on asyncio + h11;
 * {@code fastapi-best}: two workers on uvloop + httptools), and the generator against wrk.
 */
final class ThroughputTable {

    /** The peer's two configurations, as compare/run's target() names them. */
    static final List<String> PEERS = List.of("fastapi", "fastapi-best");

    private ThroughputTable() {
    }

    /**
     * The headline of the throughput cases: per kind of measure (our closed loop, wrk, the
     * sweep), the showcase's requests per second against each FastAPI configuration's; and per target,
     * our closed loop against wrk's on the same endpoint (the generator's cross-check: within
     * 20 % means the generator is not what limits the figure).
     */
    static void append(StringBuilder md, List<Case> cases) {
        // The observing-cost cases are closed loops too, on showcases of their own (ServerCpuTable).
        List<Case> measured = cases.stream().filter(c -> c.rate().count() > 0 && !ServerCpuTable.isObservingCost(c)
                && List.of("closed", "wrk", "sweep").contains(c.mode())).toList();
        if (measured.isEmpty()) {
            return;
        }
        md.append("\n## Throughput: the showcase against the FastAPI peer\n\n")
                .append("FastAPI (tutorials): one uvicorn worker, asyncio + h11. FastAPI (best): two workers, "
                        + "uvloop + httptools (environment.json: peerConfigurations).\n\n")
                .append("| measure | showcase | FastAPI (tutorials) | showcase ÷ tutorials | FastAPI (best) | showcase ÷ best |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        for (String mode : List.of("closed", "wrk", "sweep")) {
            Case showcase = first(measured, mode, "showcase");
            if (showcase == null) {
                continue;
            }
            String measure = switch (mode) {
                case "closed" -> "closed loop (this harness): " + showcase.group();
                case "wrk" -> "closed loop (wrk): " + showcase.group();
                default -> showcase.group();
            };
            md.append("| ").append(measure).append(" | ").append(rateText(showcase)).append(" |");
            for (String peerTarget : PEERS) {
                Case peer = first(measured, mode, peerTarget);
                md.append(' ').append(peer == null ? "–" : rateText(peer)).append(" | ")
                        .append(peer == null ? "–" : (showcase.rateIsLowerBound() ? "≥ " : "")
                                + ResultsReport.format(showcase.rate().median() / peer.rate().median()) + "×")
                        .append(" |");
            }
            md.append('\n');
        }
        md.append("\n| cross-check | this harness | wrk | harness ÷ wrk | within 20 % |\n|---|---:|---:|---:|---|\n");
        boolean any = false;
        for (String target : List.of("showcase", PEERS.get(0), PEERS.get(1))) {
            Case harness = first(measured, "closed", target);
            Case wrk = first(measured, "wrk", target);
            if (harness != null && wrk != null) {
                double ratio = harness.rate().median() / wrk.rate().median();
                md.append("| ").append(target).append(": ").append(harness.label()).append(" | ")
                        .append(rateText(harness)).append(" | ").append(rateText(wrk)).append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", ratio)).append(" | ")
                        .append(Math.abs(ratio - 1) <= 0.2 ? "yes" : "**no**").append(" |\n");
                any = true;
            }
        }
        if (!any) {
            md.append("| (no wrk runs: install wrk from Debian's packages) | | | | |\n");
        }
    }

    private static Case first(List<Case> cases, String mode, String target) {
        return cases.stream().filter(c -> c.mode().equals(mode) && c.target().equals(target)).findFirst().orElse(null);
    }

    private static String rateText(Case c) {
        return (c.rateIsLowerBound() ? "≥ " : "") + c.rate().text("/s");
    }
}
