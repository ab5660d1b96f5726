package dev.loomshowcase.loadgen;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.loomshowcase.burst.OpenFiles;
import dev.loomshowcase.burst.Target;

import dev.loomshowcase.support.RunningShowcase;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The command line: the JSON object it writes has the documented structure, the exit status
 * says whether anything failed, and it refuses what it must refuse (other machines, runs
 * beyond its bounds, more connections than the open-file limit allows).
 */
@Timeout(120)
@ServerTest(pinningDetection = true)
class LoadGeneratorTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @TempDir
    Path folder;

    private static String url(String pathAndQuery) {
        return SHOWCASE.uri(pathAndQuery).toString();
    }

    @Test
    void onceKeepsTheNumbersOfTheAnswerItself() throws Exception {
        Path file = folder.resolve("once.json");
        GeneratorRun outcome = GeneratorRun.of("once", "--url", url("/threads/virtual?n=200&ms=20"), "--label", "threads check",
                "--json", file.toString());
        assertThat(outcome.err(), outcome.status(), is(0));
        JsonObject json = GeneratorRun.json(file);
        assertThat(json.getString("mode"), is("once"));
        assertThat(json.getInt("status"), is(200));
        assertThat(json.getJsonObject("errors").size(), is(0));
        JsonObject result = json.getJsonObject("answer").getJsonObject("result");
        assertThat("the route's own figures, as it answered them: " + json, result.getInt("n"), is(200));
        assertThat(result.getInt("peakLive"), is(200));
        assertThat(result.getJsonNumber("makespanMs").doubleValue(), greaterThanOrEqualTo(20.0));
        assertThat("text is left out, numbers only", json.getJsonObject("answer").containsKey("scenario"), is(false));

        GeneratorRun refused = GeneratorRun.of("once", "--url", url("/threads/virtual?n=0"), "--json", file.toString());
        assertThat("a 400 is an error of the run", refused.status(), is(1));
        assertThat(GeneratorRun.json(file).getJsonObject("errors").getInt("status 400"), is(1));
    }

    @Test
    void burstWritesTheDocumentedJson() throws Exception {
        Path file = folder.resolve("burst.json");
        GeneratorRun outcome = GeneratorRun.of("burst", "--url", url("/sleep/virtual?ms=50"), "-n", "10", "--label", "json check",
                "--server-pid", String.valueOf(ProcessHandle.current().pid()), "--json", file.toString());
        assertThat(outcome.err(), outcome.status(), is(0));
        assertThat(outcome.out(), containsString("makespan"));
        JsonObject json = GeneratorRun.json(file);
        assertThat(json.getString("mode"), is("burst"));
        assertThat(json.getJsonNumber("makespanMs").doubleValue(), greaterThanOrEqualTo(50.0));
        JsonObject latency = json.getJsonObject("latency");
        for (String key : List.of("p50", "p90", "p99", "max", "mean", "count")) {
            assertThat(key, latency.get(key).getValueType(), is(JsonValue.ValueType.NUMBER));
        }
        assertThat(latency.getInt("count"), is(10));
        assertThat(json.getJsonObject("errors").size(), is(0));
        JsonObject probe = json.getJsonObject("probe");
        for (String key : List.of("p99", "max", "count")) {
            assertThat(key, probe.get(key).getValueType(), is(JsonValue.ValueType.NUMBER));
        }
        assertThat("the default probe", probe.getString("url"), is(url("/whoami")));
        JsonObject server = json.getJsonObject("server");
        assertThat("the server is this JVM: the burst and its JSON cost it some CPU",
                server.getJsonNumber("cpuSeconds").doubleValue(), greaterThan(0.0));
        assertThat(server.getJsonNumber("peakRssBytes").longValue(), greaterThan(0L));
        assertThat(server.getInt("threads"), greaterThan(0));
        assertThat("the default observe base is the same server", server.getInt("parallelism"), is(2));
        assertThat("virtual sleeps do not pin (a pinning here fails the class)",
                server.getJsonNumber("pinnedEvents").longValue(), is(0L));
        JsonObject config = json.getJsonObject("config");
        assertThat(config.getString("url"), is(url("/sleep/virtual?ms=50")));
        assertThat(config.getInt("n"), is(10));
        assertThat(config.getString("startedAt"), startsWith("20"));
        assertThat(config.getString("label"), is("json check"));
    }

    @Test
    void openLoopJsonHasRateDurationAndAchievedRate() throws Exception {
        Path file = folder.resolve("open.json");
        GeneratorRun outcome = GeneratorRun.of("open", "--url", url("/whoami"), "--rate", "40", "--duration-s", "0.5", "--no-probe",
                "--no-observe", "--json", file.toString());
        assertThat(outcome.err(), outcome.status(), is(0));
        JsonObject json = GeneratorRun.json(file);
        assertThat(json.getString("mode"), is("open"));
        assertThat(json.getJsonNumber("achievedRate").doubleValue(), greaterThan(0.0));
        assertThat(json.getJsonObject("latency").getInt("count"), is(20));
        assertThat(json.get("probe"), is(JsonValue.NULL));
        assertThat("no pid given", json.getJsonObject("server").get("cpuSeconds"), is(JsonValue.NULL));
        assertThat(json.getJsonObject("config").getJsonNumber("rate").doubleValue(), is(40.0));
        assertThat(json.getJsonObject("config").getJsonNumber("durationS").doubleValue(), is(0.5));
    }

    @Test
    void sweepJsonHasItsStepsAndBestRate() throws Exception {
        Path file = folder.resolve("sweep.json");
        GeneratorRun outcome = GeneratorRun.of("sweep", "--url", url("/whoami"), "--rates", "10,20", "--duration-s", "0.5",
                "--p99-bound-ms", "1000", "--no-probe", "--no-observe", "--json", file.toString());
        assertThat(outcome.err(), outcome.status(), is(0));
        JsonObject json = GeneratorRun.json(file);
        assertThat(json.getString("mode"), is("sweep"));
        assertThat(json.getJsonNumber("bestRate").doubleValue(), is(20.0));
        assertThat(json.getJsonArray("steps").size(), is(2));
        assertThat(json.getJsonArray("steps").getJsonObject(1).getJsonObject("latency"), hasKey("p99"));
    }

    @Test
    void closedLoopJsonHasItsConnectionsRateAndWarmUp() throws Exception {
        Path file = folder.resolve("closed.json");
        GeneratorRun outcome = GeneratorRun.of("closed", "--url", url("/whoami"), "-c", "4", "--duration-s", "0.5", "--warmup-s", "0.2",
                "--no-probe", "--no-observe", "--json", file.toString());
        assertThat(outcome.err(), outcome.status(), is(0));
        assertThat(outcome.out(), containsString("c=4 for 0.5 s"));
        JsonObject json = GeneratorRun.json(file);
        assertThat(json.getString("mode"), is("closed"));
        assertThat(json.getJsonNumber("warmupS").doubleValue(), is(0.2));
        assertThat(json.getJsonObject("config").getInt("connections"), is(4));
        assertThat(json.getJsonObject("requests").getInt("connections"), is(4));
        long answered = json.getJsonObject("requests").getJsonNumber("answered").longValue();
        assertThat("four connections, each sending again at once, for half a second", answered, greaterThan(20L));
        assertThat("the rate is the answers over the window", json.getJsonNumber("achievedRate").doubleValue(),
                both(greaterThan(answered / 0.6)).and(lessThanOrEqualTo(answered / 0.5)));
        assertThat(json.getJsonObject("latency").getJsonNumber("count").longValue(), is(answered));
    }

    @Test
    void exitStatusIsOneWhenRequestsFailAndTheErrorsAreInTheJson() throws Exception {
        GeneratorRun outcome = GeneratorRun.of("burst", "--url", url("/sleep/virtual?ms=-1"), "-n", "4", "--no-probe", "--no-observe",
                "--json", "-");
        assertThat(outcome.status(), is(1));
        String text = outcome.out();
        JsonObject json = Json.createReader(new StringReader(text.substring(text.indexOf("\n{") + 1))).readObject();
        assertThat(json.getJsonObject("errors").getInt("400"), is(4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.1.2.3:8080/", "http://192.168.1.1/", "http://example.com/",
            "http://8.8.8.8/", "https://127.0.0.1:8443/", "http://[2001:db8::1]/", "ftp://127.0.0.1/"})
    void refusesEverythingButPlainHttpOnThisMachine(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Command.parse(new String[] {"burst", "--url", url, "-n", "1"}));
        assertThat(e.getMessage(), startsWith("refusing " + url));
    }

    @Test
    void refusesANonLoopbackProbeOrObserveBaseToo() {
        assertThrows(IllegalArgumentException.class, () -> Command.parse(new String[] {
                "burst", "--url", "http://127.0.0.1:8080/", "-n", "1", "--probe-url", "http://10.0.0.1/whoami"}));
        assertThrows(IllegalArgumentException.class, () -> Command.parse(new String[] {
                "burst", "--url", "http://127.0.0.1:8080/", "-n", "1", "--observe-base", "http://10.0.0.1/"}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/sleep/virtual?ms=1", "http://127.0.0.2/", "http://localhost:8080/",
            "http://[::1]:8080/whoami"})
    void acceptsLoopback(String url) {
        Target target = Target.of(url);
        assertThat(target.address().getAddress().isLoopbackAddress(), is(true));
    }

    @Test
    void refusesRunsBeyondItsBounds() {
        String url = "http://127.0.0.1:8080/";
        for (String[] args : List.of(
                new String[] {"burst", "--url", url, "-n", "20001"},
                new String[] {"burst", "--url", url, "-n", "0"},
                new String[] {"burst", "--url", url},
                new String[] {"open", "--url", url, "--rate", "10", "--duration-s", "601"},
                new String[] {"open", "--url", url, "--rate", "10"},
                new String[] {"sweep", "--url", url, "--rates", "1,2,3", "--duration-s", "201", "--p99-bound-ms", "100"},
                new String[] {"burst", "--url", url, "-n", "1", "--timeout-s", "601"},
                new String[] {"closed", "--url", url, "--duration-s", "1"},
                new String[] {"closed", "--url", url, "-c", "1001", "--duration-s", "1"},
                new String[] {"closed", "--url", url, "-c", "4"},
                new String[] {"closed", "--url", url, "-c", "4", "--duration-s", "1", "--warmup-s", "61"},
                new String[] {"burst", "--url", url, "-n", "1", "--warmup-s", "1"},
                new String[] {"burst", "--url", url, "-n", "100000"},
                new String[] {"burst", "--url", url, "-n", "10", "--connections", "2"},
                new String[] {"burst", "--http2", "--url", url, "-n", "10", "--connections", "11"},
                new String[] {"burst", "--http2", "--url", url, "-n", "200001"},
                new String[] {"closed", "--http2", "--url", url, "-c", "4", "--duration-s", "1"},
                new String[] {"flood", "--url", url})) {
            assertThrows(IllegalArgumentException.class, () -> Command.parse(args), String.join(" ", args));
        }
    }

    @Test
    void anHttp1BurstPastItsBoundPointsAtHttp2AndAnHttp2BurstSpreadsItsStreams() {
        String url = "http://127.0.0.1:8080/sleep/virtual?ms=1000";
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> Command.parse(new String[] {"burst", "--url", url, "-n", "100000"}));
        assertThat(tooMany.getMessage(), containsString("one open file, per request"));
        assertThat(tooMany.getMessage(), containsString("--http2"));
        assertThat(Command.parse(new String[] {"burst", "--url", url, "-n", "15000"}).http2Connections(), is((Integer) null));
        assertThat(Command.parse(new String[] {"burst", "--http2", "--connections", "250", "--url", url, "-n", "100000"})
                .http2Connections(), is(250));
        assertThat("400 streams a connection by default",
                Command.parse(new String[] {"burst", "--http2", "--url", url, "-n", "100000"}).http2Connections(), is(250));
        assertThat(Command.parse(new String[] {"burst", "--http2", "--url", url, "-n", "10"}).http2Connections(), is(1));
    }

    @Test
    void aBurstTheServersOpenFileLimitCannotHoldIsRefusedBeforeItStarts() throws Exception {
        // A stand-in server whose limit is 256 open files: nothing listens, since nothing may be sent.
        Process server = new ProcessBuilder("bash", "-c", "ulimit -n 256 && exec sleep 60").start();
        try {
            String pid = String.valueOf(server.pid());
            for (int i = 0; i < 100 && !Files.readString(Path.of("/proc", pid, "limits")).matches(
                    "(?s).*Max open files\\s+256\\b.*"); i++) {
                Thread.sleep(20); // until bash has set the limit
            }
            GeneratorRun refused = GeneratorRun.of("burst", "--url", "http://127.0.0.1:9/whoami", "-n", "1000", "--server-pid", pid,
                    "--no-probe", "--no-observe");
            assertThat(refused.status(), is(2));
            assertThat(refused.err(), containsString("a burst of 1000 needs 1000 open files at the server too"));
            assertThat(refused.err(), containsString("the server (pid " + pid + ") may have 256 open"));
            GeneratorRun h2 = GeneratorRun.of("burst", "--http2", "--connections", "300", "--url", "http://127.0.0.1:9/whoami", "-n", "1000",
                    "--server-pid", pid, "--no-probe", "--no-observe");
            assertThat(h2.status(), is(2));
            assertThat(h2.err(), containsString("an HTTP/2 burst over 300 connections needs 300 open files at the server"));
        } finally {
            server.destroy();
        }
    }

    @Test
    void theServersLimitIsReadFromItsProcFolder() throws Exception {
        Path proc = Files.createDirectories(folder.resolve("proc/42/fd"));
        for (int i = 0; i < 10; i++) {
            Files.createFile(proc.resolve(String.valueOf(i)));
        }
        Files.writeString(folder.resolve("proc/42/limits"), """
                Limit                     Soft Limit           Hard Limit           Units
                Max cpu time              unlimited            unlimited            seconds
                Max open files            1024                 20000                files
                """);
        OpenFiles server = OpenFiles.of(folder.resolve("proc/42")).orElseThrow();
        assertThat(server, is(new OpenFiles(1_024, 20_000, 10)));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> server.requireServerRoom(42, 5_000, "a burst of 5000"));
        assertThat(refused.getMessage(), containsString("may have 1024 open and has 10 already"));
        assertThat(refused.getMessage(), containsString("at most its hard limit, 20000"));
        server.requireServerRoom(42, 900, "a burst of 900");
        assertThat(OpenFiles.of(folder.resolve("proc/43")).isPresent(), is(false));
    }

    @Test
    void tooLowAnOpenFileLimitFailsAtOnceSayingWhatToRaise() {
        IllegalStateException raisable = assertThrows(IllegalStateException.class,
                () -> new OpenFiles(1_024, 1_048_576, 10).require(5_000, "a burst of 5000"));
        assertThat(raisable.getMessage(), containsString("ulimit -n 65536"));
        IllegalStateException hard = assertThrows(IllegalStateException.class,
                () -> new OpenFiles(1_024, 1_024, 10).require(5_000, "a burst of 5000"));
        assertThat(hard.getMessage(), containsString("the hard limit is 1024"));
        new OpenFiles(20_000, 20_000, 100).require(5_000, "a burst of 5000");
        OpenFiles here = OpenFiles.current();
        assertThat(here.limit(), greaterThan(here.inUse()));
    }
}
