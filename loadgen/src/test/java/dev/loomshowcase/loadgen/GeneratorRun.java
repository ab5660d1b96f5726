package dev.loomshowcase.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * One run of the load generator's command line inside the test's JVM, as a user types it: its
 * exit status and what it printed to each stream; and the JSON file a run wrote.
 */
record GeneratorRun(int status, String out, String err) {

    static GeneratorRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LoadGenerator.execute(Command.parse(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new GeneratorRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static JsonObject json(Path file) throws IOException {
        return Json.createReader(new StringReader(Files.readString(file))).readObject();
    }
}
