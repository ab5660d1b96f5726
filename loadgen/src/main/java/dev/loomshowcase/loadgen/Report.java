package dev.loomshowcase.loadgen;

import java.io.StringWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

import dev.loomshowcase.burst.Latency;
import dev.loomshowcase.burst.Measurement;
import dev.loomshowcase.burst.ServerStats;
import dev.loomshowcase.burst.SideProbe;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * A run's {@link Measurement} for a person ({@link #summary}) and for a program ({@link #json}):
 * what {@link LoadGenerator} prints and writes to {@code --json}, and what compare/run's
 * {@link ResultsReport} reads back.
 */
public final class Report {

    private Report() {
    }

    /** The documented JSON object: makespanMs, latency, errors, probe, server, config, and a few more. */
    public static JsonObject json(Measurement run) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add("mode", run.mode());
        if (run.options().label() != null) {
            json.add("label", run.options().label());
        }
        nullable(json, "makespanMs", run.makespanMs());
        json.add("latency", run.latency().json())
                .add("errors", counts(run.errors()))
                .add("errorExamples", texts(run.errorExamples()))
                .add("requests", JSON.createObjectBuilder().add("planned", run.planned()).add("answered", run.answered())
                        .add("errors", run.errorCount()).add("connections", run.connections()));
        nullable(json, "achievedRate", run.achievedRate());
        if (run.mode().startsWith("burst")) {
            // The server's memory per request in flight: its peak RSS growth ÷ n (all n were in flight at once).
            Long perRequest = run.server().rssPerInFlightBytes(run.n());
            if (perRequest == null) {
                json.addNull("rssPerInFlightBytes");
            } else {
                json.add("rssPerInFlightBytes", perRequest);
            }
        }
        if (run.probe() == null) {
            json.addNull("probe");
        } else {
            json.add("probe", run.probe().json());
        }
        JsonObjectBuilder server = run.server().json();
        nullable(server, "cpuUsPerRequest", cpuMicrosPerRequest(run));
        return json.add("server", server)
                .add("config", config(run))
                .build();
    }

    /**
     * µs of server CPU per answered request (HttpArena's measure of a server's cost at a fixed
     * rate): the CPU seconds of the server's processes over the measured window, divided by the
     * answers; null without a server pid or without an answer. From the unrounded CPU seconds:
     * at a few thousand requests the rounded ones would move it by several per cent.
     */
    static Double cpuMicrosPerRequest(Measurement run) {
        Double cpu = run.server().cpuSeconds();
        return cpu == null || run.answered() == 0 ? null : cpu * 1e6 / run.answered();
    }

    private static JsonObjectBuilder config(Measurement run) {
        JsonObjectBuilder config = JSON.createObjectBuilder().add("url", run.options().target().url());
        if (run.n() != null) {
            config.add("n", run.n());
        }
        nullable(config, "rate", run.rate());
        if (run.mode().equals("closed") || run.mode().equals("burst-h2")) {
            config.add("connections", run.connections());
        }
        config.add("protocol", run.mode().equals("burst-h2") ? "h2c" : "http/1.1");
        nullable(config, "durationS", run.durationS());
        config.add("timeoutS", run.options().timeout().toMillis() / 1_000.0);
        config.add("startedAt", run.startedAt().toString());
        if (run.options().label() == null) {
            config.addNull("label");
        } else {
            config.add("label", run.options().label());
        }
        if (run.options().probe() == null) {
            config.addNull("probeUrl");
        } else {
            config.add("probeUrl", run.options().probe().url());
        }
        if (run.options().serverPid() == null) {
            config.addNull("serverPid");
        } else {
            config.add("serverPid", run.options().serverPid());
        }
        if (run.options().observeBase() == null) {
            config.addNull("observeBase");
        } else {
            config.add("observeBase", run.options().observeBase().url());
        }
        return config;
    }

    /** The readable summary, a few lines. */
    public static String summary(Measurement run) {
        StringBuilder text = new StringBuilder();
        text.append(run.mode()).append("  GET ").append(run.options().target().url());
        if (run.n() != null) {
            text.append("  n=").append(run.n());
            if (run.mode().equals("burst-h2")) {
                text.append(" over ").append(run.connections()).append(" h2c connections");
            }
        } else if (run.mode().equals("closed")) {
            text.append("  c=").append(run.connections()).append(" for ").append(decimal(run.durationS())).append(" s");
        } else {
            text.append("  rate=").append(decimal(run.rate())).append("/s for ").append(decimal(run.durationS())).append(" s");
        }
        if (run.options().label() != null) {
            text.append("  [").append(run.options().label()).append(']');
        }
        text.append('\n');
        text.append("  answered   ").append(run.answered()).append(" of ").append(run.planned());
        if (run.makespanMs() != null) {
            text.append(", makespan ").append(decimal(run.makespanMs())).append(" ms");
            text.append(run.mode().startsWith("burst") ? " (t0 → last answer; connections opened before t0)" : " (t0 → last answer)");
        }
        if (run.achievedRate() != null) {
            text.append(", achieved ").append(decimal(run.achievedRate())).append("/s");
        }
        text.append('\n');
        text.append("  latency    ").append(line(run.latency()))
                .append(switch (run.mode()) {
                    case "burst", "burst-h2" -> "  from t0\n";
                    case "closed" -> "  from each actual send (a closed loop: stalls are not in them)\n";
                    default -> "  from each intended send time\n";
                });
        text.append("  errors     ").append(kinds(run.errors())).append('\n');
        run.errorExamples().forEach((kind, example) -> text.append("             ").append(kind).append(": ")
                .append(example).append('\n'));
        if (run.probe() != null) {
            text.append("  probe      GET ").append(run.probe().url()).append(" every ")
                    .append(SideProbe.EVERY.toMillis()).append(" ms, ").append(run.probe().probes()).append(" sent: ")
                    .append(line(run.probe().latency()));
            if (!run.probe().errors().isEmpty()) {
                text.append("  errors ").append(kinds(run.probe().errors()));
            }
            text.append('\n');
        }
        text.append("  server     ").append(server(run.server()));
        Long rssPerRequest = run.n() == null ? null : run.server().rssPerInFlightBytes(run.n());
        if (rssPerRequest != null) {
            text.append("  RSS per request in flight ").append(decimal(rssPerRequest / 1_024.0)).append(" KiB");
        }
        Double cpuPerRequest = cpuMicrosPerRequest(run);
        if (cpuPerRequest != null) {
            text.append("  (cpu ").append(decimal(cpuPerRequest)).append(" µs per answered request)");
        }
        text.append('\n');
        return text.toString();
    }

    /** One line for a person: {@code p50 1.2  p90 3.4  p99 5.6  max 7.8  mean 2.0 ms (n)}. */
    static String line(Latency latency) {
        if (latency.count() == 0) {
            return "no values";
        }
        return String.format("p50 %s  p90 %s  p99 %s  max %s  mean %s ms  (%d)", decimal(latency.p50()),
                decimal(latency.p90()), decimal(latency.p99()), decimal(latency.max()), decimal(latency.mean()),
                latency.count());
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
