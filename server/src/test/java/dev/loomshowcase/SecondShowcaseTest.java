package dev.loomshowcase;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.loomshowcase.support.ChildShowcase;
import dev.loomshowcase.support.RunsBesideOthers;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** A second showcase on the file database another one holds says so in one line and exits 1. */
@RunsBesideOthers
class SecondShowcaseTest {

    @Test
    void aSecondShowcaseOnTheSameFileSaysWhoHoldsItInOneLine() throws Exception {
        Path folder = Files.createTempDirectory("showcase-twice");
        String fileDb = "-Ddb.connection.url=jdbc:h2:file:" + folder.resolve("showcase") + ";DATABASE_TO_LOWER=TRUE";
        try (ChildShowcase first = ChildShowcase.start("-Dapp.database.in-memory=false", fileDb)) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-preview", "--enable-native-access=ALL-UNNAMED", "-Dserver.port=0", "-Dupstream.port=0",
                    "-Dapp.database.in-memory=false", fileDb, "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), "dev.loomshowcase.Main"));
            Process second = new ProcessBuilder(command).start();
            second.getOutputStream().close();
            boolean exited = second.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                second.destroyForcibly();
            }
            String stderr = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            String stdout = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat("the second showcase must stop: " + stdout + stderr, exited, is(true));
            assertThat(stderr, second.exitValue(), is(1));
            List<String> lines = stderr.lines().filter(l -> l.contains("holds the database")).toList();
            assertThat(stderr, lines.size(), is(1));
            assertThat(lines.getFirst(), containsString("--in-memory"));
            assertThat("no stack trace: " + stderr, stderr, not(containsString("\tat ")));
            assertThat(stdout + stderr, not(containsString("is up")));
        }
    }
}
