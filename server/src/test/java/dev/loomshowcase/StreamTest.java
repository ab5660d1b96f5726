package dev.loomshowcase;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.loomshowcase.payloads.StreamService;
import dev.loomshowcase.support.RunningShowcase;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code GET /stream} writes its NDJSON lines as they are produced: a million lines arrive
 * complete without the server's heap growing by anything like the body's size, a slow stream's
 * lines arrive one by one, and a client that hangs up ends the server's loop.
 */
@ServerTest(pinningDetection = true)
class StreamTest {

    private static RunningShowcase SHOWCASE;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private HttpResponse<InputStream> open(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(SHOWCASE.uri(pathAndQuery)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Heap in use after a full collection: what is really alive, in this JVM (server and test alike). */
    private static long liveHeap() {
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    @Test
    void millionLinesArriveCompleteWhileTheHeapStaysFlat() throws Exception {
        int items = 1_000_000;
        long before = liveHeap();
        long bodyBytes = 0;
        long lines = 0;
        long worstGrowth = Long.MIN_VALUE;
        String last = null;
        HttpResponse<InputStream> response = open("/stream?items=" + items);
        assertThat(response.statusCode(), is(200));
        assertThat(response.headers().firstValue("content-type").orElse(""), containsString("application/x-ndjson"));
        assertThat("streamed, so no length known in advance", response.headers().firstValue("content-length").isPresent(),
                is(false));
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines++;
                bodyBytes += line.length() + 1;
                last = line;
                if (lines % 250_000 == 0 && lines < items) {
                    // Mid-stream: a handler that built the body first would hold all of it now.
                    worstGrowth = Math.max(worstGrowth, liveHeap() - before);
                }
            }
        }
        assertThat("one line per item", lines, is((long) items));
        assertThat("the last line is the last item", json(last).getInt("item"), is(items));
        assertThat("the body is large enough for the check to mean something", bodyBytes, greaterThan(50_000_000L));
        assertThat("live heap grew by " + worstGrowth / 1024 + " KiB while streaming a " + bodyBytes / 1024
                        + " KiB body: the lines must leave as they are made, not pile up",
                worstGrowth, lessThan(bodyBytes / 4));
    }

    @Test
    void slowStreamLinesArriveOneByOne() throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = open("/stream?items=5&delayMs=400");
        List<Long> arrivals = new ArrayList<>();
        List<JsonObject> items = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                arrivals.add((System.nanoTime() - start) / 1_000_000);
                items.add(json(line));
            }
        }
        assertThat(items.size(), is(5));
        long first = arrivals.getFirst();
        long last = arrivals.getLast();
        assertThat("four sleeps of 400 ms come before the last line", last, greaterThanOrEqualTo(1_600L));
        assertThat("the first line arrived at " + first + " ms, the last at " + last
                + " ms: the first must not wait for the others", first, lessThan(last - 1_000));
        for (int i = 0; i < items.size(); i++) {
            assertThat(items.get(i).getInt("item"), is(i + 1));
            assertThat("served by a virtual thread", items.get(i).getString("thread"), containsString("VirtualThread"));
        }
        assertThat("the server's clock agrees: the last line was made about 1.6 s after the first",
                items.getLast().getJsonNumber("at").longValue() - items.getFirst().getJsonNumber("at").longValue(),
                greaterThanOrEqualTo(1_500L));
    }

    @Test
    void clientThatHangsUpEndsTheLoop() throws Exception {
        LinkedBlockingQueue<LogRecord> ended = new LinkedBlockingQueue<>();
        Logger logger = Logger.getLogger(StreamService.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().startsWith("stream ended by the client")) {
                    ended.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level previous = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
        try {
            // Ten million lines (about a gigabyte) with no delay: only the hang-up can end this soon.
            try (Socket socket = new Socket("127.0.0.1", SHOWCASE.uri("/").getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /stream?items=10000000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] some = socket.getInputStream().readNBytes(64 * 1024);
                assertThat(new String(some, StandardCharsets.US_ASCII), containsString("\"item\":1,"));
            }
            LogRecord record = ended.poll(20, TimeUnit.SECONDS);
            assertThat("the server noticed the hang-up and ended its loop", record, notNullValue());
            assertThat("it ended long before the ten millionth item", record.getMessage(), containsString("of 10000000 items"));
            assertThat("only once", ended.poll(200, TimeUnit.MILLISECONDS), nullValue());
        } finally {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(true);
            logger.setLevel(previous);
        }
    }

    private static JsonObject json(String line) {
        return Json.createReader(new StringReader(line)).readObject();
    }
}
