package dev.loomshowcase.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.helidon.common.media.type.MediaType;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * Reading request bodies so that bad input is a 400 with a reason, never a stack trace, and a
 * huge body a 413 before it is held in memory. A JSON body is read strictly: sent as JSON, valid
 * UTF-8 (not silently patched with U+FFFD, which would make different byte strings one value),
 * every key once, and nothing after the value.
 */
public final class RequestBodies {

    /** No JSON body of this API needs more; bigger ones are refused before they fill the heap. */
    public static final int MAX_JSON_BYTES = 1 << 20;

    /**
     * A parser that refuses a key given twice instead of letting the last one win. JSON-P's standard
     * switch ({@code JsonConfig.KEY_STRATEGY}) is honoured only by {@code JsonReader}, which in turn
     * ignores whatever follows the value; Parsson (the provider here) has its own for the parser.
     */
    private static final JsonParserFactory PARSERS =
            JSON.createParserFactory(Map.of("org.eclipse.parsson.rejectDuplicateKeys", true));

    private RequestBodies() {
    }

    /** Reads at most {@link #MAX_JSON_BYTES}; one byte more is a 413. */
    private static String capped(ServerRequest req) {
        // A Content-Length over the cap is refused before reading: reading would wait for bytes that may never come.
        if (req.headers().contentLength().orElse(0) > MAX_JSON_BYTES) {
            throw Problem.tooLarge("JSON bodies are limited to " + MAX_JSON_BYTES + " bytes; this one declares "
                    + req.headers().contentLength().getAsLong() + ".").with("maxBytes", MAX_JSON_BYTES)
                    .closingConnection(req);
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw Problem.tooLarge("JSON bodies are limited to " + MAX_JSON_BYTES + " bytes.")
                        .with("maxBytes", MAX_JSON_BYTES);
            }
            return utf8(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes as UTF-8; a malformed sequence is a 400, where {@code new String} would write U+FFFD. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw Problem.badRequest("The body is not valid UTF-8 (" + e.getMessage() + ").");
        }
    }

    /** 415 unless the body says it is JSON in UTF-8 ({@code application/json}, or a {@code +json} type). */
    private static void requireJson(ServerRequest req) {
        boolean json = req.headers().contentType()
                .filter(type -> {
                    MediaType media = type.mediaType();
                    return media.type().equalsIgnoreCase("application")
                            && (media.subtype().equalsIgnoreCase("json")
                                || media.subtype().toLowerCase(Locale.ROOT).endsWith("+json"));
                })
                .filter(type -> type.charset().map(charset -> charset.equalsIgnoreCase("utf-8")).orElse(true))
                .isPresent();
        if (!json) {
            throw Problem.of(Status.UNSUPPORTED_MEDIA_TYPE_415, "Unsupported body type",
                            "This endpoint reads a JSON body: send it as Content-Type: application/json (UTF-8), not as "
                                    + req.headers().contentType().map(HttpMediaType::text).orElse("a body without a type")
                                    + ".")
                    .with("accepted", List.of("application/json"));
        }
    }

    /**
     * The body as a JSON object; 415 when it is not sent as JSON, 400 when it is missing, not
     * UTF-8, malformed, not an object, repeats a key, or has anything after the object.
     */
    public static JsonObject jsonObject(ServerRequest req) {
        if (!req.content().hasEntity()) {
            throw Problem.badRequest("This endpoint needs a JSON object as its body.");
        }
        requireJson(req);
        String text = capped(req);
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw Problem.badRequest("The body must be a single JSON object.");
            }
            JsonObject object = parser.getObject();
            if (parser.hasNext()) {
                throw Problem.badRequest("The body has more after its JSON object; send one object and nothing else.");
            }
            return object;
        } catch (Problem e) {
            throw e;
        } catch (JsonParsingException e) {
            throw Problem.badRequest("The body is not valid JSON: " + e.getMessage());
        } catch (IllegalStateException e) {
            // Parsson reports a repeated key so ("Duplicate key 'a' is not allowed").
            throw Problem.badRequest("The body is not acceptable JSON: " + e.getMessage());
        } catch (JsonException e) {
            throw Problem.badRequest("The body must be a single JSON object.");
        } catch (RuntimeException e) {
            // The parser's own limits (e.g. "Input is too deeply nested") arrive as plain RuntimeExceptions.
            throw Problem.badRequest("The body is not acceptable JSON: " + e.getMessage());
        }
    }
}
