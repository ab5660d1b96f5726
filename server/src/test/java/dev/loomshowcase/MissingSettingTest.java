package dev.loomshowcase;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.stream.Collectors;

import javax.management.ObjectName;

import dev.loomshowcase.support.RunsBesideOthers;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.MissingValueException;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every setting's default is written once, in application.yaml, and the Java code has none: a
 * key missing from the file stops the start with a message that names it, instead of the code
 * quietly using a second default of its own. What was built before the missing key was read
 * (the database pool among it) is closed again.
 */
@RunsBesideOthers
class MissingSettingTest {

    private static final String POOL = "missing-setting-test";

    @TempDir
    static Path folder;

    @ParameterizedTest
    @ValueSource(strings = {"app.retry-after-seconds", "app.cpu-pool.size", "upstream.base-uri",
            "upstream.s3.max-total-bytes", "app.pinning-monitor.threshold-ms", "db.connection.maximumPoolSize",
            "app.jobs.io-queue", "app.jobs.runpod.max-wait-ms", "app.upload.max-bytes"})
    void aMissingKeyIsNamedAndWhatWasBuiltIsClosed(String key) throws Exception {
        String yaml = applicationYaml();
        String without = withoutKey(yaml, key);
        assertThat("the key is in application.yaml, and was taken out", without.length() < yaml.length(), is(true));
        // A database file of this test's own, under a pool name it can look for afterwards.
        Config config = Config.just(ConfigSources.create(Map.of(
                        "db.connection.url", "jdbc:h2:file:" + folder.resolve("db") + ";DATABASE_TO_LOWER=TRUE",
                        "db.connection.poolName", POOL)),
                ConfigSources.create(without, MediaTypes.APPLICATION_X_YAML));

        MissingValueException e = assertThrows(MissingValueException.class, () -> Showcase.create(config));

        assertThat(e.getMessage(), containsString("'" + key + "'"));
        assertThat(e.getMessage(), containsString("is not present in the configuration"));
        assertThat("the database pool of the failed start is closed",
                ManagementFactory.getPlatformMBeanServer().isRegistered(
                        new ObjectName("com.zaxxer.hikari:type=Pool (" + POOL + ")")), is(false));
    }

    private static String applicationYaml() throws IOException {
        try (InputStream in = MissingSettingTest.class.getResourceAsStream("/application.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The YAML without the one line that sets this dotted key (a leaf: one line). */
    private static String withoutKey(String yaml, String key) {
        Deque<String> path = new ArrayDeque<>();
        Deque<Integer> indents = new ArrayDeque<>();
        return yaml.lines().filter(line -> {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.contains(":")) {
                return true;
            }
            int indent = line.length() - line.stripLeading().length();
            while (!indents.isEmpty() && indents.peek() >= indent) {
                indents.pop();
                path.pop();
            }
            String name = trimmed.substring(0, trimmed.indexOf(':'));
            indents.push(indent);
            path.push(name);
            String dotted = String.join(".", path.reversed());
            return !dotted.equals(key);
        }).collect(Collectors.joining("\n", "", "\n"));
    }
}
