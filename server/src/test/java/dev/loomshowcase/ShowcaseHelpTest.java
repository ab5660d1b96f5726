package dev.loomshowcase;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.loomshowcase.support.Repository;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** {@code ./showcase --help} prints the showcase's own options, not the java launcher's, and starts nothing. */
class ShowcaseHelpTest {

    @Test
    void helpListsTheShowcasesOptionsAndExitsAtOnce() throws Exception {
        Process process = new ProcessBuilder("bash", Repository.file("showcase").toString(), "--help").redirectErrorStream(true).start();
        boolean exited = process.waitFor(10, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat("./showcase --help must exit within 10 s (no build, no server): " + output, exited, is(true));
        assertThat(output, process.exitValue(), is(0));
        assertThat(output, containsString("--in-memory"));
        assertThat(output, containsString("-Dserver.port"));
        assertThat(output, containsString("README.md"));
        assertThat("the java launcher's own help", output, not(containsString("Usage: java ")));
        assertThat("no server started", output, not(containsString("is up")));
    }
}
