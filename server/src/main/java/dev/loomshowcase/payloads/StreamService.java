package dev.loomshowcase.payloads;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.loomshowcase.web.ClientWatch;
import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.Parameter;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;


import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code GET /stream?items=&delayMs=}: a long response written as it is produced. Each item is one
 * line of NDJSON ({@code application/x-ndjson}),
 * {@code {"item":1,"thread":"VirtualThread[#52]/runnable@ForkJoinPool-1-worker-1","at":0}}, where
 * {@code at} is milliseconds since the handler started. Nothing is collected: memory stays flat
 * whether the body is a kilobyte or a gigabyte, and a slow stream (a sleep between items) holds
 * one virtual thread, which unmounts during every sleep; the carrier named in {@code thread}
 * may change from line to line.
 */
public final class StreamService implements EndpointService {

    static final Parameter ITEMS = new Parameter("items", 1, 10_000_000, 1_000, "how many lines to stream");
    static final Parameter DELAY_MS = new Parameter("delayMs", 0, 1_000, 0,
            "pause between lines, slept on the request's virtual thread");
    /** The media type of newline-delimited JSON. */
    private static final HttpMediaType NDJSON = HttpMediaType.create("application/x-ndjson");

    private static final Logger LOGGER = Logger.getLogger(StreamService.class.getName());
    /** Without a delay, flush every this many lines: often enough to stream, rarely enough to stay cheap. */
    private static final int FLUSH_EVERY = 1_000;

    private final ClientWatch clientWatch = new ClientWatch();

    @Override
    public List<Endpoint> endpoints() {
        return List.of(new Endpoint(Method.GET, "/stream",
                "streams items lines of NDJSON as they are produced (chunked, flat memory), sleeping delayMs between them",
                List.of(ITEMS, DELAY_MS), "/stream?items=20&delayMs=250", this::stream));
    }

    private void stream(ServerRequest req, ServerResponse res) throws Exception {
        long items = ITEMS.from(req);
        long delayMs = DELAY_MS.from(req);
        // A client that hangs up during a slow stream interrupts its sleep, instead of being found
        // out only by the next write.
        clientWatch.whileClientWaits(req, () -> {
            write(res, items, delayMs);
            return null;
        });
    }

    private static void write(ServerResponse res, long items, long delayMs) {
        long start = System.nanoTime();
        res.headers().contentType(NDJSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        long item = 0;
        String thread = "";
        String threadJson = "\"\"";
        try (OutputStream out = res.outputStream()) {
            for (item = 1; item <= items; item++) {
                if (item > 1 && delayMs > 0) {
                    Thread.sleep(delayMs);
                }
                String now = Thread.currentThread().toString();
                if (!now.equals(thread)) {
                    // JSON.createValue looks up its provider on every call; escaping only when the carrier
                    // changes took a million lines from 31 s to under 2 s.
                    thread = now;
                    threadJson = JSON.createValue(now).toString();
                }
                out.write(("{\"item\":" + item + ",\"thread\":" + threadJson + ",\"at\":"
                        + (System.nanoTime() - start) / 1_000_000 + "}\n").getBytes(StandardCharsets.UTF_8));
                if (delayMs > 0 || item % FLUSH_EVERY == 0) {
                    // The bytes leave now; with a delay, every line is worth seeing as soon as it exists.
                    out.flush();
                }
            }
        } catch (IOException | UncheckedIOException | CloseConnectionException e) {
            // The client went away: the failed write ends the loop, and with it this virtual thread.
            LOGGER.log(Level.FINE, "stream ended by the client after " + (item - 1) + " of " + items + " items", e);
        } catch (InterruptedException e) {
            // The client hung up (web/ClientWatch) or the server is stopping; keep the flag for whoever runs this thread.
            Thread.currentThread().interrupt();
        }
    }
}
