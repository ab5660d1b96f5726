package dev.loomshowcase.loadgen;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;

import dev.loomshowcase.support.LocalMachine;
import dev.loomshowcase.support.Repository;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xml.sax.InputSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * The harness itself, end to end: {@code compare/run --matrix=tiny} builds nothing (the build
 * has just packaged the jar), starts the showcase in its own JVM, runs a burst on the platform
 * pool, under the limited style's 10 permits and on virtual threads, and a closed loop, stops what it started and writes the report.
 * Runs after {@code package} (it needs the jar), as the build's integration test.
 *
 * <p>The figures checked are those no noise can fake: 40 sleeps of 200 ms on a pool of 10 take
 * four rounds, under 10 permits four too, on virtual threads one.
 */
@Timeout(300)
class CompareRunIT {

    private static final Path PROJECT = Repository.ROOT;

    @Test
    void tinyMatrixWritesTheReportWithTheRatiosThatCannotBeNoise() throws Exception {
        Path out = Path.of("target", "compare-tiny").toAbsolutePath(); // loadgen/target/
        LocalMachine.emptyFolder(out);
        Path log = Files.createDirectories(Path.of("target").toAbsolutePath()).resolve("compare-tiny.log");
        ProcessBuilder builder = new ProcessBuilder("bash", "compare/run", "--matrix=tiny", "--no-peer", "--no-install",
                "--repeats=1")
                .directory(PROJECT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("COMPARE_OUT", out.toString());
        env.put("COMPARE_PORT", String.valueOf(LocalMachine.freePort()));
        env.put("COMPARE_UPSTREAM_PORT", String.valueOf(LocalMachine.freePort()));
        env.put("JAVA_HOME", System.getProperty("java.home")); // the JDK 25 running this build
        Process run = builder.start();
        try {
            boolean ended = run.waitFor(240, TimeUnit.SECONDS);
            assertThat("compare/run ended in time; its log: " + log, ended, is(true));
            assertThat("compare/run's exit status; its log:\n" + Files.readString(log), run.exitValue(), is(0));
        } finally {
            run.descendants().forEach(ProcessHandle::destroy);
            run.destroy();
        }

        JsonObject results = read(out.resolve("results.json"));
        JsonObject environment = results.getJsonObject("environment");
        for (String key : List.of("date", "mode", "repeats", "cores", "jdk", "helidon", "showcaseJvmFlags", "peer")) {
            assertThat(environment, hasKey(key));
        }
        assertThat(environment.getString("mode"), is("tiny"));
        assertThat(environment.getString("peer"), is("none"));
        // Both peer configurations are recorded, as null when they did not run (--no-peer here).
        JsonObject peers = environment.getJsonObject("peerConfigurations");
        assertThat(peers.keySet(), is(Set.of("fastapi", "fastapi-best")));
        assertThat(peers.isNull("fastapi") && peers.isNull("fastapi-best"), is(true));
        List<JsonObject> cases = results.getJsonArray("cases").getValuesAs(JsonObject.class);
        assertThat(cases.stream().map(c -> c.getString("id")).toList(),
                is(List.of("sleep-platform-40", "sleep-limited-40", "sleep-virtual-40", "trivial-closed-showcase")));
        for (JsonObject c : cases) {
            assertThat(c.getString("id"), c.getJsonArray("runs").size(), is(1));
            JsonObject run1 = c.getJsonArray("runs").getJsonObject(0);
            assertThat(c.getString("id") + " errors", run1.getJsonObject("errors").size(), is(0));
            for (String key : List.of("latency", "probe", "server", "config", "requests")) {
                assertThat(c.getString("id"), run1, hasKey(key));
            }
            assertThat("the server's CPU is read from /proc", run1.getJsonObject("server")
                    .getJsonNumber("cpuSeconds").doubleValue(), greaterThan(0.0));
        }

        double platform = makespan(cases.get(0));
        double limited = makespan(cases.get(1));
        double virtual = makespan(cases.get(2));
        // Four rounds of 200 ms against one: the ideal ratio is 4, for the pool and for the permits.
        assertThat("platform " + platform + " ms vs virtual " + virtual + " ms", platform / virtual,
                both(greaterThan(2.5)).and(lessThan(5.0)));
        assertThat("limited " + limited + " ms vs virtual " + virtual + " ms", limited / virtual,
                both(greaterThan(2.5)).and(lessThan(5.0)));
        assertThat("virtual threads: one round", virtual, both(greaterThan(199.0)).and(lessThan(600.0)));
        JsonObject closed = cases.get(3).getJsonArray("runs").getJsonObject(0);
        assertThat(closed.getString("mode"), is("closed"));
        assertThat("a trivial endpoint answers hundreds a second even here",
                closed.getJsonNumber("achievedRate").doubleValue(), greaterThan(300.0));

        String md = Files.readString(out.resolve("results.md"));
        assertThat(md, containsString("## sleep N=40, 200 ms"));
        assertThat(md, containsString("## Throughput: the showcase against the FastAPI peer"));
        for (String chart : List.of("makespan.svg", "latency-p99.svg", "side-probe-p99.svg", "throughput.svg")) {
            String svg = Files.readString(out.resolve(chart));
            DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        }
        assertThat("the showcase it started has stopped", portFree(Integer.parseInt(
                builder.environment().get("COMPARE_PORT"))), is(true));
    }

    private static double makespan(JsonObject c) {
        return c.getJsonArray("runs").getJsonObject(0).getJsonNumber("makespanMs").doubleValue();
    }

    private static JsonObject read(Path file) throws IOException {
        return Json.createReader(new StringReader(Files.readString(file))).readObject();
    }

    private static boolean portFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
