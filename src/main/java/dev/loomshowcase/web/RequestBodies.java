package dev.loomshowcase.web;

import java.io.StringReader;

import io.helidon.webserver.http.ServerRequest;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.stream.JsonParsingException;

/**
 * Reading request bodies so that bad input is a 400 with a reason, never a stack trace.
 */
public final class RequestBodies {

    private RequestBodies() {
    }

    /** The body as a JSON object; 400 when it is missing, malformed or not an object. */
    public static JsonObject jsonObject(ServerRequest req) {
        if (!req.content().hasEntity()) {
            throw Problem.badRequest("This endpoint needs a JSON object as its body.");
        }
        String text = req.content().as(String.class);
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
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
