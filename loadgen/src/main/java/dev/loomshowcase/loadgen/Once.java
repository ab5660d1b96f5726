package dev.loomshowcase.loadgen;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

import dev.loomshowcase.burst.Options;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * The {@code once} mode: one GET, its answer kept. For a route that measures itself, such as
 * {@code /threads/virtual?n=1000000}, whose makespan and memory per thread are in its own JSON
 * and whose load is inside the server: a burst of one would measure only the HTTP round trip.
 * The result keeps the answer's numbers (nested objects too) under {@code answer}, so
 * compare/ tabulates them like a burst's figures. The JDK's HttpClient is enough for one request.
 */
final class Once {

    /** What the one request came to: a summary for a person, the JSON for compare/, and 0 or 1 error. */
    record Result(String summary, JsonObject json, long errors) {
    }

    private Once() {
    }

    static Result run(Options options) throws InterruptedException {
        String url = options.target().url();
        JsonObjectBuilder json = JSON.createObjectBuilder().add("mode", "once");
        if (options.label() != null) {
            json.add("label", options.label());
        }
        json.add("config", JSON.createObjectBuilder().add("url", url).add("timeoutS", options.timeout().toSeconds()));
        long start = System.nanoTime();
        String error = null;
        int status = 0;
        JsonObject answer = JsonValue.EMPTY_JSON_OBJECT;
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(options.timeout()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            if (status != 200) {
                error = "status " + status;
            }
            try {
                answer = numbers(JSON.createReader(new StringReader(response.body())).readObject());
            } catch (JsonException | ClassCastException e) {
                error = error != null ? error : "not a JSON object";
            }
        } catch (IOException e) {
            error = e.getClass().getSimpleName();
        }
        double elapsedMs = (System.nanoTime() - start) / 1e6;
        json.add("status", status).add("elapsedMs", elapsedMs).add("answer", answer)
                .add("errors", error == null ? JsonValue.EMPTY_JSON_OBJECT : JSON.createObjectBuilder().add(error, 1).build());
        String summary = String.format(Locale.ROOT, "once %s%n  status     %d in %.1f ms%n  answer     %s%n",
                url, status, elapsedMs, error == null ? answer : error);
        return new Result(summary, json.build(), error == null ? 0 : 1);
    }

    /** The object's numbers, and those of the objects inside it; text and arrays are left out. */
    static JsonObject numbers(JsonObject object) {
        JsonObjectBuilder kept = JSON.createObjectBuilder();
        object.forEach((key, value) -> {
            if (value instanceof JsonNumber) {
                kept.add(key, value);
            } else if (value instanceof JsonObject inner) {
                kept.add(key, numbers(inner));
            }
        });
        return kept.build();
    }
}
