package dev.loomshowcase.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerResponse;

/**
 * Server-sent events ({@code text/event-stream}), the wire format of the live routes
 * ({@code /observe/pinning/stream}, {@code /race/run}): each event is flushed as it is written,
 * and a comment line serves as a heartbeat, since writing to a client that has gone fails.
 */
public final class EventStream {

    private static final HttpMediaType MEDIA_TYPE = HttpMediaType.create("text/event-stream");

    private EventStream() {
    }

    /** Sets the stream's headers (no caching: every event is news) and returns its body. */
    public static OutputStream open(ServerResponse res) {
        res.headers().contentType(MEDIA_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        return res.outputStream();
    }

    /** One event named {@code name}; {@code data} is written by its {@code toString()} (JSON here). */
    public static void event(OutputStream out, String name, Object data) throws IOException {
        write(out, "event: " + name + "\ndata: " + data + "\n\n");
    }

    /** A comment line, which clients ignore. */
    public static void comment(OutputStream out, String text) throws IOException {
        write(out, ": " + text + "\n\n");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
