package dev.loomshowcase.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * A text/event-stream read event by event: the name and the JSON data of each, comments
 * skipped. Reading stops at the end of the stream or at the event a caller waits for.
 */
public final class ServerSentEvents implements AutoCloseable {

    /** One event: its name and its data as JSON. */
    public record Event(String name, JsonObject data) {
    }

    private final HttpResponse<InputStream> response;
    private final BufferedReader reader;

    private ServerSentEvents(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    /** Opens the stream; a request timeout bounds how long any read may wait for the headers. */
    public static ServerSentEvents open(URI uri, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "text/event-stream").build();
        return new ServerSentEvents(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream()));
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    /** The next event, or null at the end of the stream. */
    public Event next() throws IOException {
        String name = null;
        StringBuilder data = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                if (name != null) {
                    return new Event(name, Json.createReader(new StringReader(data.toString())).readObject());
                }
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                name = line.substring("event:".length()).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring("data:".length()).strip());
            }
        }
        return null;
    }

    /** Every event up to and including the first that {@code last} accepts, or to the end of the stream. */
    public List<Event> until(Predicate<Event> last) throws IOException {
        List<Event> events = new ArrayList<>();
        for (Event event = next(); event != null; event = next()) {
            events.add(event);
            if (last.test(event)) {
                break;
            }
        }
        return events;
    }

    /** The body as text, for a response that is not an event stream (an error). */
    public String body() throws IOException {
        return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
