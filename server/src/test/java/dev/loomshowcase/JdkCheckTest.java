package dev.loomshowcase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.loomshowcase.support.Repository;
import dev.loomshowcase.support.RunsBesideOthers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The build and the start are for JDK 25 exactly (preview class files load only on the release
 * they were compiled for): {@code .mvn/jdk25.sh} (sourced by ./showcase, .ci/run and compare/)
 * stops with one line on any other JDK, {@code Main} does the same when started by hand, and the
 * enforcer refuses to build on another.
 */
@RunsBesideOthers
class JdkCheckTest {

    private static final Path PROJECT = Repository.ROOT;

    /** A fake JDK: a {@code java} (and {@code javac}) that answers {@code -XshowSettings:properties} with this version. */
    private static Path fakeJdk(Path folder, String version) throws IOException {
        Path bin = Files.createDirectories(folder.resolve("bin"));
        String script = """
                #!/bin/sh
                echo 'Property settings:' >&2
                echo '    java.specification.version = %s' >&2
                echo 'openjdk version "%s"' >&2
                """.formatted(version, version);
        for (String tool : List.of("java", "javac")) {
            Path file = bin.resolve(tool);
            Files.writeString(file, script);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return folder;
    }

    private record Sourced(int exitCode, String stdout, String stderr) {
    }

    /** {@code bash -c 'source .mvn/jdk25.sh; echo $JAVA_HOME'} with this JAVA_HOME, PATH and search folders. */
    private static Sourced source(Path javaHome, String path, String folders) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "source .mvn/jdk25.sh; echo \"$JAVA_HOME\"")
                .directory(PROJECT.toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("PATH", path);
        env.put("LOOM_JDK_FOLDERS", folders);
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat("jdk25.sh ended", process.waitFor(30, TimeUnit.SECONDS), is(true));
        return new Sourced(process.exitValue(), stdout, stderr);
    }

    @Test
    void jdk25ShStopsWithOneLineOnAnotherJdk(@TempDir Path temp) throws Exception {
        Path jdk26 = fakeJdk(temp.resolve("jdk-26"), "26");
        Sourced sourced = source(jdk26, jdk26.resolve("bin") + ":/usr/bin:/bin", temp.resolve("nothing-here").toString());
        assertThat(sourced.stderr(), sourced.exitCode(), is(1));
        assertThat("nothing goes on after it", sourced.stdout(), is(""));
        assertThat("one line: " + sourced.stderr(), sourced.stderr().strip().lines().count(), is(1L));
        assertThat(sourced.stderr(), containsString("needs exactly JDK 25"));
        assertThat("it says why", sourced.stderr(), containsString("load only on 25"));
        assertThat("and what it found instead", sourced.stderr(), containsString("found only JDK 26 at " + jdk26));
    }

    @Test
    void jdk25ShTakesA25OverANewerOne(@TempDir Path temp) throws Exception {
        Path jdk26 = fakeJdk(temp.resolve("jdk-26"), "26");
        Path jdk25 = fakeJdk(temp.resolve("jdks/jdk-25"), "25");
        Sourced sourced = source(jdk26, jdk26.resolve("bin") + ":/usr/bin:/bin", temp.resolve("jdks") + "/*");
        assertThat(sourced.stderr(), sourced.exitCode(), is(0));
        assertThat(sourced.stdout().strip(), is(jdk25.toString()));
    }

    @Test
    void mainRefusesAnotherJdkInOneLine() {
        assertThat(Main.wrongJdk(25), nullValue());
        for (int other : new int[] {21, 24, 26, 27}) {
            String line = Main.wrongJdk(other);
            assertThat(line, containsString("built for JDK 25 and this is JDK " + other));
            assertThat("one line", line, not(containsString("\n")));
        }
    }

    /** The enforcer, run for real on the machine's JDK 17 (the lower bound), and its range read from the pom (the upper). */
    @Test
    void enforcerRefusesAnotherJdkAndSaysWhy() throws Exception {
        String pom = Files.readString(PROJECT.resolve("pom.xml"));
        assertThat("the upper bound can only be read: no JDK 26 here to run Maven on", pom,
                containsString("<version>[25,26)</version>"));
        Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        assumeTrue(Files.isExecutable(jdk17.resolve("bin/java")), "no JDK 17 at " + jdk17 + " to run Maven on");
        ProcessBuilder builder = new ProcessBuilder("./mvnw", "-o", "-q", "validate")
                .directory(PROJECT.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", jdk17.toString());
        builder.environment().remove("MAVEN_OPTS");
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat("Maven ended", process.waitFor(120, TimeUnit.SECONDS), is(true));
        assertThat(output, process.exitValue(), not(is(0)));
        assertThat(output, containsString("RequireJavaVersion failed"));
        assertThat(output, containsString("loom-showcase needs exactly JDK 25"));
        assertThat(output, containsString("StructuredTaskScope changes in JDK 26 (JEP 525) and 27 (JEP 533)"));
    }
}
