package dev.loomshowcase.loadgen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.loomshowcase.loadgen.ResultsReport.Case;
import dev.loomshowcase.loadgen.ResultsReport.Stat;

/**
 * Two headlines of results.md about cost rather than speed (compare/matrix.sh, cpu_matrix):
 * µs of server CPU per answered request at fixed open-loop rates, the showcase against each
 * FastAPI configuration (HttpArena's measure; target: at most ¼ of the best one's), and what the
 * showcase's observers cost, requests per second with them on against off (target: ≥ 90 %).
 */
final class ServerCpuTable {

    /** The id prefix of the per-request CPU cases: {@code reqcpu-<rate>-<target>}. */
    static final String CPU_CASES = "reqcpu-";
    /** The observing-cost cases' ids. */
    static final String OBSERVERS_ON = "observe-on";
    static final String OBSERVERS_OFF = "observe-off";

    private ServerCpuTable() {
    }

    static void append(StringBuilder md, List<Case> cases) {
        appendCpuPerRequest(md, cases);
        appendObservingCost(md, cases);
    }

    private static void appendCpuPerRequest(StringBuilder md, List<Case> cases) {
        Map<String, List<Case>> byGroup = new LinkedHashMap<>();
        cases.stream().filter(c -> c.id().startsWith(CPU_CASES) && perRequest(c).count() > 0)
                .forEach(c -> byGroup.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c));
        if (byGroup.isEmpty()) {
            return;
        }
        md.append("\n## Server CPU per request: the showcase against the FastAPI peers\n\n")
                .append("µs of server CPU (all its processes, from /proc) per answered request, over the measured "
                        + "window only. Lower is better; target: the showcase at most ¼ of the best FastAPI's.\n\n")
                .append("| rate | showcase | FastAPI (tutorials) | FastAPI (best) | showcase ÷ tutorials | showcase ÷ best |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        byGroup.forEach((group, list) -> {
            Case showcase = target(list, "showcase");
            md.append("| ").append(group);
            md.append(" | ").append(cell(showcase));
            for (String peer : ThroughputTable.PEERS) {
                md.append(" | ").append(cell(target(list, peer)));
            }
            for (String peer : ThroughputTable.PEERS) {
                Case other = target(list, peer);
                md.append(" | ").append(showcase == null || other == null ? "–"
                        : String.format(Locale.ROOT, "%.2f",
                                perRequest(showcase).median() / perRequest(other).median()));
            }
            md.append(" |\n");
        });
    }

    /** Whether this is one of the observing-cost closed loops, which the throughput table leaves out. */
    static boolean isObservingCost(Case c) {
        return c.id().equals(OBSERVERS_ON) || c.id().equals(OBSERVERS_OFF);
    }

    private static void appendObservingCost(StringBuilder md, List<Case> cases) {
        Case on = measured(cases, OBSERVERS_ON);
        Case off = measured(cases, OBSERVERS_OFF);
        if (on == null || off == null) {
            return;
        }
        double share = on.rate().median() / off.rate().median();
        md.append("\n## What observing costs\n\n")
                .append("The same closed loop on two showcases of their own, alike but for the observers, measured in turn.\n\n")
                .append("| measure | observers on | observers off | on ÷ off | target ≥ 90 % |\n|---|---:|---:|---:|---|\n")
                .append("| ").append(on.group()).append(" | ").append(on.rate().text("/s")).append(" | ")
                .append(off.rate().text("/s")).append(" | ").append(String.format(Locale.ROOT, "%.0f %%", share * 100))
                .append(" | ").append(share >= 0.9 ? "met" : "**not met**").append(" |\n");
        // On a machine shared with the generator, CPU per request varies less than requests/s.
        Stat cpuOn = perRequest(on);
        Stat cpuOff = perRequest(off);
        if (cpuOn.count() > 0 && cpuOff.count() > 0) {
            md.append("| server CPU per request | ").append(cpuOn.text(" µs")).append(" | ").append(cpuOff.text(" µs"))
                    .append(" | ").append(String.format(Locale.ROOT, "%.0f %%", cpuOn.median() / cpuOff.median() * 100))
                    .append(" | |\n");
        }
    }

    private static Stat perRequest(Case c) {
        return c.stat("server.cpuUsPerRequest");
    }

    private static String cell(Case c) {
        if (c == null) {
            return "–";
        }
        // Errors (timeouts of a saturated peer) leave the answered ones: say so beside the figure.
        return perRequest(c).text(" µs") + (c.errors() > 0 ? " (" + c.errors() + " errors)" : "");
    }

    /** The closed loop with this id, when it measured a rate. */
    private static Case measured(List<Case> cases, String id) {
        return cases.stream().filter(c -> c.id().equals(id) && c.rate().count() > 0).findFirst().orElse(null);
    }

    private static Case target(List<Case> cases, String target) {
        return cases.stream().filter(c -> c.target().equals(target)).findFirst().orElse(null);
    }
}
