package dev.loomshowcase;

import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.loomshowcase.support.RawHttp;
import dev.loomshowcase.web.ClientWatch;
import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.Scrape;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import jdk.management.VirtualThreadSchedulerMXBean;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Work stops when nobody waits (web/ClientWatch): a client that hangs up in the middle of a long
 * request gets its work stopped within a fraction of a second, instead of the server finishing
 * work nobody will read: a CPU loop, pinned sleeps, a fan-out's calls, a slow stream's sleep.
 * Without it, two abandoned loops of some 6 s held both carriers, and a fan-out's five 5 s calls
 * stayed open to the end.
 */
// Pinning detection off: one test abandons pinned sleeps on purpose.
@ServerTest
class ClientGoneTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @BeforeEach
    void linuxOnly() {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "the watch reads hung-up connections from Linux's TCP table");
    }

    private static List<Socket> sendAndLeaveOpen(String path, int copies) throws Exception {
        int port = SHOWCASE.uri("/").getPort();
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            Socket socket = RawHttp.connect(port);
            RawHttp.write(socket, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");
            sockets.add(socket);
        }
        return sockets;
    }

    /**
     * Waits until both carriers have been held for 300 ms on end, read in this JVM (the server's):
     * a request to the server could not be served meanwhile. A connection's own work takes
     * microseconds; only the loops or the pinned sleeps hold a carrier that long.
     */
    private static void bothCarriersHeld() throws InterruptedException {
        VirtualThreadSchedulerMXBean scheduler = ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long heldSince = 0;
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            if (scheduler.getMountedVirtualThreadCount() >= 2) {
                heldSince = heldSince == 0 ? now : heldSince;
                if (now - heldSince >= Duration.ofMillis(300).toNanos()) {
                    return;
                }
            } else {
                heldSince = 0;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the two requests never held both carriers");
    }

    @Test
    void abandonedLoopsFreeTheCarriers() throws Exception {
        // Two loops of 2·10^10 (about 6 s each here) take both carriers.
        long tookMs = whoamiMsAfterHangingUp("/cpu/virtual?n=20000000000");
        assertThat("once their clients hung up, the loops stopped and /whoami got a carrier: " + tookMs + " ms",
                tookMs, lessThan(2_000L));
    }

    @Test
    void abandonedPinnedSleepsFreeTheCarriers() throws Exception {
        // Two sleeps of 10 s inside a native frame pin both carriers.
        long tookMs = whoamiMsAfterHangingUp("/sleep/pinned-native?ms=10000");
        assertThat("the interrupted sleeps gave the carriers back: " + tookMs + " ms", tookMs, lessThan(2_000L));
    }

    /**
     * Sends two requests of {@code path}, waits until they hold both carriers, hangs up on both,
     * and returns how long a {@code GET /whoami} then took to answer 200.
     */
    private static long whoamiMsAfterHangingUp(String path) throws Exception {
        List<Socket> clients = sendAndLeaveOpen(path, 2);
        bothCarriersHeld();
        for (Socket client : clients) {
            client.close();
        }
        long hungUp = System.nanoTime();
        Reply whoami = SHOWCASE.get("/whoami");
        long tookMs = (System.nanoTime() - hungUp) / 1_000_000;
        assertThat(whoami.status(), is(200));
        return tookMs;
    }

    @Test
    void anAbandonedSlowStreamStopsAtOnce() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(ClientWatch.class.getName());
        logger.addHandler(handler);
        try {
            Socket client = sendAndLeaveOpen("/stream?items=20&delayMs=1000", 1).getFirst();
            // The first line comes at once, then one a second.
            client.setSoTimeout(5_000);
            StringBuilder read = new StringBuilder();
            while (!read.toString().contains("\"item\":1")) {
                int b = client.getInputStream().read();
                assertThat("the stream ended before its first line: " + read, b >= 0, is(true));
                read.append((char) b);
            }
            int before = records.size();
            client.close();
            // Within the watch's period, before the stream's own next write could find the client gone.
            Scrape.await("the stream's sleep was stopped once its client hung up", Duration.ofMillis(900),
                    () -> records.size() > before);
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void anAbandonedFanOutClosesItsCalls() throws Exception {
        List<Socket> client = sendAndLeaveOpen("/fanout/structured?calls=5&ms=5000", 1);
        Scrape.await("the five calls are out", Duration.ofSeconds(5),
                () -> Scrape.of(SHOWCASE).value("showcase_upstream_in_flight") == 5);
        client.getFirst().close();
        long hungUp = System.nanoTime();
        Scrape.await("the scope cancelled its calls once the client hung up", Duration.ofSeconds(2),
                () -> Scrape.of(SHOWCASE).value("showcase_upstream_in_flight") == 0);
        assertThat("well before the calls' 5 s", (System.nanoTime() - hungUp) / 1_000_000, lessThan(3_000L));
        assertThat("the server serves on", SHOWCASE.get("/whoami").status(), is(200));
    }
}
