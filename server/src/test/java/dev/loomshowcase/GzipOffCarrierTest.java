package dev.loomshowcase;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import dev.loomshowcase.support.RunningShowcase;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * gzip's deflate runs on compressing threads, not on the carriers (web/OffCarrierOutputStream):
 * while two gzipped streams of three million lines are being compressed, a trivial request is
 * served at once. With deflate on the request's thread it waited about 3 s.
 */
@ServerTest(pinningDetection = true)
class GzipOffCarrierTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @Test
    void twoLargeGzippedStreamsLeaveTheCarriersFree() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory())).build();
        HttpRequest stream = HttpRequest.newBuilder(SHOWCASE.uri("/stream?items=3000000"))
                .header("Accept-Encoding", "gzip").build();
        List<CompletableFuture<Long>> streams = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            // Each read to the end on a platform thread of its own, as a real client reads.
            CompletableFuture<HttpResponse<InputStream>> headers = client.sendAsync(stream, HttpResponse.BodyHandlers.ofInputStream());
            HttpResponse<InputStream> response = headers.get();
            assertThat(response.headers().firstValue("Content-Encoding").orElse("none"), is("gzip"));
            streams.add(CompletableFuture.supplyAsync(() -> {
                try (InputStream body = response.body()) {
                    return body.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory())));
        }
        long slowest = 0;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            assertThat(SHOWCASE.get("/whoami").status(), is(200));
            slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
        }
        boolean stillStreaming = streams.stream().noneMatch(CompletableFuture::isDone);
        for (CompletableFuture<Long> done : streams) {
            done.get();
        }
        assertThat("the streams were still being compressed while /whoami was asked", stillStreaming, is(true));
        assertThat("the slowest of five /whoami beside two gzipped streams: " + slowest + " ms", slowest, lessThan(1_000L));
    }
}
