package dev.loomshowcase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.loomshowcase.support.Repository;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.Scrape;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The FastAPI tutorials' own client scripts (compare/tutorials/), run unchanged with Debian's
 * python3 at the tutorials' own concurrency against the DEFAULT configuration: none of their
 * requests may be refused. Checked twice: by the status codes each script prints, and by the
 * server's own {@code showcase_pool_rejected_total} of every bounded pool, before and after.
 */
@ServerTest(pinningDetection = true)
class TutorialClientsTest {

    /** One run of one script: what it is called with and how many answers it must print. */
    record Client(String script, List<String> args, int requests) {
        @Override
        public String toString() {
            return String.join(" ", script, String.join(" ", args)).strip() + " (" + requests + " requests)";
        }
    }

    private static final Path SCRIPTS = Repository.file("compare", "tutorials");
    private static final Path OUTPUT = Path.of("target/tutorial-clients");
    private static final Duration LIMIT = Duration.ofSeconds(240);
    private static final String INSTALL = "The tutorials' client scripts (compare/tutorials/) need Debian's python3 "
            + "with httpx: sudo apt-get install python3 python3-httpx (or set PYTHON to a python3 that can import httpx).";
    // What the scripts print: test_async.py a dict per request ('status': 200), the others a
    // count per batch (statuses: {200: 20}).
    private static final Pattern ONE_STATUS = Pattern.compile("'status': (\\d+)");
    private static final Pattern STATUS_COUNTS = Pattern.compile("statuses: \\{([^}]*)}");
    private static final Pattern COUNT = Pattern.compile("(\\d+): (\\d+)");

    private static RunningShowcase SHOWCASE;
    private static String python;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
        python = pythonWithHttpx();
    }

    static Stream<Client> clients() {
        return Stream.of(
                new Client("test_async.py", List.of(), 3),                   // tutorial 002: 3 × /async-delay/2
                new Client("send_many.py", List.of("/wait"), 50),            // tutorial 003: 50 × /wait?secs=2
                new Client("send_many.py", List.of("/wait_async"), 50),      // ... and its exercise's /wait_async
                new Client("compare_async.py", List.of(), 4 * 30),           // tutorial 000: 30 on each of 4 cases
                new Client("benchmark.py", List.of(), 5 * 20));              // tutorial 004: 20 on each of 5 routes
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void tutorialClientGetsNoRefusal(Client client) throws Exception {
        if (python == null && System.getenv("CI") != null) {
            fail(INSTALL + " CI is set, so this is a failure, not a skip.");
        }
        if (python == null) {
            System.out.println("TutorialClientsTest skipped: " + INSTALL);
        }
        assumeTrue(python != null, INSTALL + " Skipped.");

        Map<String, Double> rejectedBefore = rejectedByPool();
        Files.createDirectories(OUTPUT);
        // target/tutorial-clients/send_many_wait_async.txt: what the script printed.
        Path log = OUTPUT.resolve((client.script().replace(".py", "") + String.join("", client.args()))
                .replace('/', '_') + ".txt");
        List<String> command = new ArrayList<>(List.of(python, SCRIPTS.resolve(client.script()).toString()));
        command.addAll(client.args());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // The one change the scripts allow: where the server is.
        builder.environment().put("BASE_URL", SHOWCASE.uri("/").toString());
        Process process = builder.start();
        if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail(client + " did not finish within " + LIMIT.toSeconds() + " s; its output:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        System.out.println("$ " + String.join(" ", command) + "\n" + output);

        assertThat(client + " exits 0; its output:\n" + output, process.exitValue(), is(0));
        assertThat(client + ": every request answered 200; its output:\n" + output, statuses(output),
                is(Map.of(200, client.requests())));
        assertThat(client + ": the server refused nothing (showcase_pool_rejected_total per pool, before and after)",
                rejectedByPool(), is(rejectedBefore));
    }

    /** Status code → how many, from what the script printed. */
    private static Map<Integer, Integer> statuses(String output) {
        Map<Integer, Integer> counts = new TreeMap<>();
        Matcher one = ONE_STATUS.matcher(output);
        while (one.find()) {
            counts.merge(Integer.parseInt(one.group(1)), 1, Integer::sum);
        }
        Matcher batch = STATUS_COUNTS.matcher(output);
        while (batch.find()) {
            Matcher count = COUNT.matcher(batch.group(1));
            while (count.find()) {
                counts.merge(Integer.parseInt(count.group(1)), Integer.parseInt(count.group(2)), Integer::sum);
            }
        }
        return counts;
    }

    /** showcase_pool_rejected_total of every bounded pool, by its pool label. */
    private static Map<String, Double> rejectedByPool() {
        Map<String, Double> rejected = new TreeMap<>();
        Scrape.of(SHOWCASE).text().lines()
                .filter(line -> line.startsWith("showcase_pool_rejected_total{"))
                .forEach(line -> rejected.put(line.substring(0, line.lastIndexOf(' ')),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))));
        assertThat("the bounded pools publish showcase_pool_rejected_total", rejected.isEmpty(), is(false));
        return rejected;
    }

    /** Debian's python3 first: a pyenv or venv python3 earlier on the PATH may not see python3-httpx. */
    private static String pythonWithHttpx() {
        List<String> candidates = new ArrayList<>();
        if (System.getenv("PYTHON") != null) {
            candidates.add(System.getenv("PYTHON"));
        }
        candidates.addAll(List.of("/usr/bin/python3", "python3"));
        for (String candidate : candidates) {
            try {
                Process check = new ProcessBuilder(candidate, "-c", "import httpx")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0) {
                    return candidate;
                }
                check.destroyForcibly();
            } catch (IOException e) {
                // not there: try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
