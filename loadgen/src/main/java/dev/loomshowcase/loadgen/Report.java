package dev.loomshowcase.compare;

import java.io.StringWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * What one burst, open-loop or closed-loop run measured, for a person ({@link #summary()}) and for a
 * program ({@link #toJson()}). Times are in milliseconds; a null means "not measured" (no
 * probe, no server pid) or "nothing to measure" (no answer at all).
 *
 * @param mode          {@code burst}, {@code open} or {@code closed} ({@link ClosedLoop})
 * @param options       where the requests went and what watched the server
 * @param n             a burst's size; null otherwise
 * @param rate          an open loop's requests per second; null otherwise
 * @param durationS     an open or closed loop's send window in seconds; null for a burst
 * @param startedAt     when the run started (wall clock)
 * @param makespanMs    from t0 to the last answer; null when none came
 * @param latency       the answers' latencies: from t0 for a burst, from each request's intended
 *                      send time for an open loop, from each actual send for a closed loop
 * @param errors        failures by kind (see {@link Tally})
 * @param errorExamples one message per exception kind, for reading why
 * @param planned       how many requests the run meant to send
 * @param answered      how many got an answer (of any status)
 * @param achievedRate  answers per second over the send window or the makespan, whichever is
 *                      longer; null for a burst
 * @param connections   the most connections open at once; for a burst, {@code n}
 * @param probe         the side probe's view; null without a probe
 * @param server        what the run cost the server; null fields for what was not watched
 */
public record Report(String mode, Options options, Integer n, Double rate, Double durationS, Instant startedAt,
                     Double makespanMs, Latency latency, SortedMap<String, Long> errors,
                     SortedMap<String, String> errorExamples, long planned, long answered, Double achievedRate,
                     int connections, SideProbe.Summary probe, ServerStats.Usage server) {

    /** How many requests failed, in any way. */
    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The documented JSON object: makespanMs, latency, errors, probe, server, config, and a few more. */
    public JsonObject toJson() {
        JsonObjectBuilder json = JSON.createObjectBuilder().add("mode", mode);
        if (options.label() != null) {
            json.add("label", options.label());
        }
        nullable(json, "makespanMs", makespanMs);
        json.add("latency", latency.json())
                .add("errors", counts(errors))
                .add("errorExamples", texts(errorExamples))
                .add("requests", JSON.createObjectBuilder().add("planned", planned).add("answered", answered)
                        .add("errors", errorCount()).add("connections", connections));
        nullable(json, "achievedRate", achievedRate);
        if (probe == null) {
            json.addNull("probe");
        } else {
            json.add("probe", probe.json());
        }
        return json.add("server", server.json())
                .add("config", config())
                .build();
    }

    private JsonObjectBuilder config() {
        JsonObjectBuilder config = JSON.createObjectBuilder().add("url", options.target().url());
        if (n != null) {
            config.add("n", n);
        }
        nullable(config, "rate", rate);
        if (mode.equals("closed")) {
            config.add("connections", connections);
        }
        nullable(config, "durationS", durationS);
        config.add("timeoutS", options.timeout().toMillis() / 1_000.0);
        config.add("startedAt", startedAt.toString());
        if (options.label() == null) {
            config.addNull("label");
        } else {
            config.add("label", options.label());
        }
        if (options.probe() == null) {
            config.addNull("probeUrl");
        } else {
            config.add("probeUrl", options.probe().url());
        }
        if (options.serverPid() == null) {
            config.addNull("serverPid");
        } else {
            config.add("serverPid", options.serverPid());
        }
        if (options.observeBase() == null) {
            config.addNull("observeBase");
        } else {
            config.add("observeBase", options.observeBase().url());
        }
        return config;
    }

    /** The readable summary, a few lines. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        text.append(mode).append("  GET ").append(options.target().url());
        if (n != null) {
            text.append("  n=").append(n);
        } else if (mode.equals("closed")) {
            text.append("  c=").append(connections).append(" for ").append(decimal(durationS)).append(" s");
        } else {
            text.append("  rate=").append(decimal(rate)).append("/s for ").append(decimal(durationS)).append(" s");
        }
        if (options.label() != null) {
            text.append("  [").append(options.label()).append(']');
        }
        text.append('\n');
        text.append("  answered   ").append(answered).append(" of ").append(planned);
        if (makespanMs != null) {
            text.append(", makespan ").append(decimal(makespanMs)).append(" ms");
            text.append(mode.equals("burst") ? " (t0 → last answer; connections opened before t0)" : " (t0 → last answer)");
        }
        if (achievedRate != null) {
            text.append(", achieved ").append(decimal(achievedRate)).append("/s");
        }
        text.append('\n');
        text.append("  latency    ").append(latency.line())
                .append(switch (mode) {
                    case "burst" -> "  from t0\n";
                    case "closed" -> "  from each actual send (a closed loop: stalls are not in them)\n";
                    default -> "  from each intended send time\n";
                });
        text.append("  errors     ").append(kinds(errors)).append('\n');
        errorExamples.forEach((kind, example) -> text.append("             ").append(kind).append(": ")
                .append(example).append('\n'));
        if (probe != null) {
            text.append("  probe      GET ").append(probe.url()).append(" every ")
                    .append(SideProbe.EVERY.toMillis()).append(" ms, ").append(probe.probes()).append(" sent: ")
                    .append(probe.latency().line());
            if (!probe.errors().isEmpty()) {
                text.append("  errors ").append(kinds(probe.errors()));
            }
            text.append('\n');
        }
        text.append("  server     ").append(server(server)).append('\n');
        return text.toString();
    }

    /** Error counts for a person: {@code 400 ×3, connect:ConnectException ×1}, or "none". */
    static String kinds(Map<String, Long> errors) {
        if (errors.isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        errors.forEach((kind, count) -> text.append(text.isEmpty() ? "" : ", ").append(kind).append(" ×").append(count));
        return text.toString();
    }

    static String server(ServerStats.Usage server) {
        return "cpu " + (server.cpuSeconds() == null ? "-" : decimal(server.cpuSeconds()) + " s")
                + "  peak RSS " + (server.peakRssBytes() == null ? "-" : decimal(server.peakRssBytes() / 1_048_576.0) + " MiB")
                + "  threads " + (server.threads() == null ? "-" : server.threads())
                + "  pinned " + (server.pinnedEvents() == null ? "-" : "+" + server.pinnedEvents())
                + "  parallelism " + (server.parallelism() == null ? "-" : server.parallelism());
    }

    /** A number for a person: 3 significant decimals at most, no trailing zeros. */
    static String decimal(double value) {
        String text = String.format(Locale.ROOT, value >= 100 ? "%.1f" : "%.3f", value);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }

    static void nullable(JsonObjectBuilder json, String key, Double value) {
        if (value == null) {
            json.addNull(key);
        } else {
            json.add(key, Math.round(value * 1_000) / 1_000.0);
        }
    }

    static JsonObjectBuilder counts(Map<String, Long> counts) {
        JsonObjectBuilder json = JSON.createObjectBuilder();
        counts.forEach(json::add);
        return json;
    }

    static JsonObjectBuilder texts(Map<String, String> texts) {
        JsonObjectBuilder json = JSON.createObjectBuilder();
        texts.forEach(json::add);
        return json;
    }

    /** A JSON object, indented for a person who opens the file. */
    static String pretty(JsonObject json) {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = JSON.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(out)) {
            writer.writeObject(json);
        }
        return out.toString().strip() + "\n";
    }
}
