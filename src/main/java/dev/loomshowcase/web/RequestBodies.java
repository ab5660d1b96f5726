package dev.loomshowcase.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.helidon.webserver.http.ServerRequest;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.stream.JsonParsingException;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * Reading request bodies so that bad input is a 400 with a reason, never a stack trace, and a
 * huge body a 413 before it is held in memory.
 */
public final class RequestBodies {

    /** No JSON body of this API needs more; bigger ones are refused before they fill the heap. */
    public static final int MAX_JSON_BYTES = 1 << 20;

    private RequestBodies() {
    }

    /** Reads at most {@link #MAX_JSON_BYTES}; one byte more is a 413. */
    private static String capped(ServerRequest req) {
        // A Content-Length over the cap is refused before reading: reading would wait for bytes that may never come.
        if (req.headers().contentLength().orElse(0) > MAX_JSON_BYTES) {
            throw Problem.tooLarge("JSON bodies are limited to " + MAX_JSON_BYTES + " bytes; this one declares "
                    + req.headers().contentLength().getAsLong() + ".").with("maxBytes", MAX_JSON_BYTES)
                    .withHeader(io.helidon.http.HeaderNames.CONNECTION, "close");
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw Problem.tooLarge("JSON bodies are limited to " + MAX_JSON_BYTES + " bytes.")
                        .with("maxBytes", MAX_JSON_BYTES);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body as a JSON object; 400 when it is missing, malformed or not an object. */
    public static JsonObject jsonObject(ServerRequest req) {
        if (!req.content().hasEntity()) {
            throw Problem.badRequest("This endpoint needs a JSON object as its body.");
        }
        String text = capped(req);
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            return reader.readObject();
        } catch (JsonParsingException e) {
            throw Problem.badRequest("The body is not valid JSON: " + e.getMessage());
        } catch (JsonException | IllegalStateException e) {
            throw Problem.badRequest("The body must be a single JSON object.");
        } catch (RuntimeException e) {
            // The parser's own limits (e.g. "Input is too deeply nested") arrive as plain RuntimeExceptions.
            throw Problem.badRequest("The body is not acceptable JSON: " + e.getMessage());
        }
    }
}
