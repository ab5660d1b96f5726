package dev.loomshowcase;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

import dev.loomshowcase.concurrency.BoundedPool;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * A full bounded pool refuses at once with 503 + Retry-After, and serves again once it drains.
 * The pool is filled with tasks that wait on a latch, so the test controls exactly when it is
 * full, without sleeps.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings({
        "app.cpu-pool.size=1",
        "app.cpu-pool.queue=1"})
@RunsBesideOthers
class CpuPoolTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @Test
    void fullCpuQueueAnswers503WithRetryAfter() throws Exception {
        BoundedPool pool = SHOWCASE.showcase().cpuPool();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> busy = pool.submit(() -> {
            running.countDown();
            return release.await(30, java.util.concurrent.TimeUnit.SECONDS);
        });
        Future<?> queued = pool.submit(() -> release.await(30, java.util.concurrent.TimeUnit.SECONDS));
        running.await();
        assertThat("one thread busy", pool.active(), is(1));
        assertThat("one task queued", pool.queued(), is(1));

        Reply refused = SHOWCASE.get("/cpu/platform?n=1000");
        assertThat(refused.body(), refused.status(), is(503));
        assertThat("a refused client is told when to come back", refused.header("Retry-After"), is("1"));
        assertThat(refused.contentType(), containsString("application/problem+json"));
        assertThat(refused.json().getString("pool"), is("cpu-pool"));

        release.countDown();
        busy.get();
        queued.get();
        Reply served = SHOWCASE.get("/cpu/platform?n=1000");
        assertThat("the pool serves again once it has drained", served.status(), is(200));
    }
}
