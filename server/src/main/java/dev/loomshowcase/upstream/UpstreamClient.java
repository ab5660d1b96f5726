package dev.loomshowcase.upstream;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.loomshowcase.concurrency.Waiting;
import dev.loomshowcase.web.Problem;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import jakarta.json.JsonObject;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * The showcase's calls to the "external API" (the upstream mock, or any server with the same
 * {@code /delay} endpoint). {@link #delay} and {@link #delayAsync} are the same call through the
 * same JDK {@code HttpClient}: {@code send} blocks the calling thread (Python's {@code requests}),
 * {@code sendAsync} returns a future at once ({@code httpx}), so the styles of {@code /http} and
 * {@code /fanout} differ only in how their threads wait, not in the client.
 * Helidon {@code WebClient} makes the other calls: the users' external data and the jobs (S3, RunPod).
 * All have a connect and a read timeout:
 * an upstream that never answers becomes a 504, an upstream error a 502, never a hung request.
 */
public final class UpstreamClient {

    /** Tries of a WebClient GET whose connection broke before it was answered (see {@link #send}). */
    private static final int ATTEMPTS = 2;

    private final Supplier<URI> baseUri;
    private final Duration readTimeout;
    private final WebClient webClient;
    private final HttpClient httpClient;
    private final UpstreamProblems problems;
    private final UpstreamCalls calls;
    private final AtomicLong triedAgain = new AtomicLong();

    /**
     * @param baseUri where the upstream answers; asked on every call, since the in-process
     *                mock's port is only known once the server has started
     */
    public UpstreamClient(Supplier<URI> baseUri, Duration connectTimeout, Duration readTimeout) {
        this(baseUri, connectTimeout, readTimeout, new UpstreamCalls(Integer.MAX_VALUE, 1));
    }

    /** @param calls the bound every call passes through (upstream.max-in-flight) */
    public UpstreamClient(Supplier<URI> baseUri, Duration connectTimeout, Duration readTimeout, UpstreamCalls calls) {
        this.calls = calls;
        this.baseUri = baseUri;
        this.readTimeout = readTimeout;
        this.problems = new UpstreamProblems(baseUri, connectTimeout, readTimeout);
        this.webClient = WebClient.builder()
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .build();
        // The JDK's default executor on purpose: a cached pool of platform threads (HttpClient-N-Worker-M)
        // for the client's own short tasks (reading answers, firing timeouts). On a virtual-thread executor
        // those tasks need a free carrier: with every carrier pinned by a handler waiting in send, not even
        // the read timeout could fire (measured: PinnedDeadlockTest hung instead of answering 504s).
        this.httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .build();
    }

    /** What one upstream call returned. */
    public record Reply(long delayMs, String upstreamThread) {
    }

    /**
     * Calls {@code GET /delay?ms=&status=} with {@code HttpClient.send} and blocks until the answer
     * (or a timeout). Interrupted, {@code send} cancels the exchange (it closes the connection: measured
     * on JDK 25) and this throws at once, keeping the interrupt: how a fan-out stops its other calls.
     */
    public Reply delay(long ms, int status) {
        String call = "GET /delay?ms=" + ms + "&status=" + status;
        calls.enter();
        try {
            HttpResponse<String> response = httpClient.send(delayRequest(ms, status), HttpResponse.BodyHandlers.ofString());
            return reply(UpstreamProblems.json(response.statusCode(), response.body(), call));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problem.badGateway("The call " + call + " was cancelled: its thread was interrupted.", e);
        } catch (IOException e) {
            throw problems.failure(e, call, -1);
        } finally {
            calls.exit();
        }
    }

    /**
     * The same call with {@code HttpClient.sendAsync}: returns at once. The future, and every stage
     * derived from it, is cancelable: {@code cancel(true)} closes the exchange's connection.
     */
    public CompletableFuture<Reply> delayAsync(long ms, int status) {
        try {
            calls.enter();
        } catch (Problem busy) {
            return CompletableFuture.failedFuture(busy);
        }
        return httpClient.sendAsync(delayRequest(ms, status), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> calls.exit())
                .handle((response, error) -> {
                    String call = "GET /delay?ms=" + ms + "&status=" + status;
                    if (error != null) {
                        throw problems.failure(Waiting.causeOf(error), call, -1);
                    }
                    return reply(UpstreamProblems.json(response.statusCode(), response.body(), call));
                });
    }

    /** One request for both: its timeout is the read timeout (until the answer's headers). */
    private HttpRequest delayRequest(long ms, int status) {
        return HttpRequest.newBuilder(uri("/delay?ms=" + ms + "&status=" + status)).timeout(readTimeout).GET().build();
    }

    /** The users' slow "recommendations" API: {@code GET /delay?ms=} through WebClient, blocking. */
    public Reply recommendations(long ms) {
        return reply(send(Method.GET, "/delay?ms=" + ms, null, null));
    }

    /** Asks the Hugging-Face-like mock to classify {@code text}; blocks until it answers. */
    public JsonObject infer(String model, String text) {
        return send(Method.POST, "/hf/models/" + model,
                JSON.createObjectBuilder().add("inputs", text).build().toString(), MediaTypes.APPLICATION_JSON);
    }

    /** Stores {@code bytes} in the S3-like store ({@code PUT /s3/{bucket}/{key}}); blocks until it answers. */
    public JsonObject put(String bucket, String key, byte[] bytes) {
        return send(Method.PUT, "/s3/" + segment(bucket) + "/" + segment(key), bytes,
                MediaTypes.APPLICATION_OCTET_STREAM);
    }

    /** Queues a RunPod-like job ({@code POST /runpod/run}): its id and first status at once, the work later. */
    public JsonObject runPod(JsonObject input) {
        return send(Method.POST, "/runpod/run", JSON.createObjectBuilder().add("input", input).build().toString(),
                MediaTypes.APPLICATION_JSON);
    }

    /** One look at a RunPod-like job ({@code GET /runpod/status/{id}}). */
    public JsonObject runPodStatus(String id) {
        return send(Method.GET, "/runpod/status/" + segment(id), null, null);
    }

    /**
     * One blocking WebClient call; errors and timeouts become 502/504 problems naming the call.
     *
     * @param body        a String or byte[], or null for none
     * @param contentType the body's media type, or null for the client's default
     */
    private JsonObject send(Method method, String pathAndQuery, Object body, MediaType contentType) {
        String call = method.text() + " " + pathAndQuery;
        calls.enter();
        try {
            for (int attempt = 1; ; attempt++) {
                long started = System.nanoTime();
                var request = webClient.method(method).uri(uri(pathAndQuery));
                if (attempt > 1) {
                    request.header(HeaderValues.CONNECTION_CLOSE); // a one-off connection, not one from the cache
                }
                if (contentType != null) {
                    request.contentType(contentType);
                }
                try (HttpClientResponse response = body == null ? request.request() : request.submit(body)) {
                    return UpstreamProblems.json(response.status().code(), response.as(String.class), call);
                } catch (Problem p) {
                    throw p;
                } catch (RuntimeException e) {
                    long elapsed = System.nanoTime() - started;
                    // WebClient (Helidon 4.1.7, and still 4.5.0) keeps idle connections in a cache, each watched by
                    // a monitor that gives up after the read timeout; a connection taken from the cache just as its
                    // monitor gives up fails at once ("Exception in socket monitor thread"). After a burst, hundreds
                    // of connections go idle together and reach that moment together: measured, 29 of 100 requests
                    // failed so. A GET that broke long before its read timeout was never answered and can go again,
                    // on a new connection: the next cached one may be as stale (3 tries from the cache still failed
                    // 3 calls of ~1,300 in StaleUpstreamConnectionTest). A POST is never sent twice.
                    if (method == Method.GET && attempt < ATTEMPTS && problems.brokeEarly(e, elapsed)) {
                        triedAgain.incrementAndGet();
                        continue;
                    }
                    throw problems.failure(e, call, elapsed);
                }
            }
        } finally {
            calls.exit();
        }
    }

    private static Reply reply(JsonObject json) {
        return new Reply(json.getJsonNumber("ms").longValue(), json.getString("thread"));
    }

    /** One path segment, percent-encoded (a space as %20, not +). */
    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private URI uri(String pathAndQuery) {
        return baseUri.get().resolve(pathAndQuery);
    }

    /** Calls sent and not answered yet (either client, blocking or not), retries counted once. */
    public int inFlight() {
        return calls.inFlight();
    }

    /** WebClient GETs sent again because their connection broke before it was answered (see {@link #send}). */
    public long triedAgain() {
        return triedAgain.get();
    }

    /** The bound on calls in flight, and its refusals. */
    public UpstreamCalls calls() {
        return calls;
    }
}
