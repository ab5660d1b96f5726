package dev.loomshowcase.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the monitor names the route of a pinning JFR reports without its thread (thread id -1,
 * seen on fresh starts): by the carrier the event names and its start time, from what
 * {@link ThreadRoutes} remembered of the request that ran on that carrier then. Fed directly
 * (no JFR), since JFR leaves the thread out only now and then.
 */
class PinningAttributionTest {

    /** Where and when a request's virtual thread ran, as a thread-less JFR event would name it. */
    private record Seen(long threadId, String carrier, Instant moment) {
    }

    private static Seen serve(ThreadRoutes routes, String route) throws Exception {
        AtomicReference<Seen> seen = new AtomicReference<>();
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                routes.whileServing(route, () -> {
                    Thread self = Thread.currentThread();
                    seen.set(new Seen(self.threadId(), ThreadRoutes.carrierOf(self), Instant.now()));
                    return null;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        thread.join();
        return seen.get();
    }

    private static PinningMonitor monitor(ThreadRoutes routes) {
        return new PinningMonitor(false, Duration.ofMillis(5), 10, false, routes);
    }

    @Test
    void aVirtualThreadNamesItsCarrierAsJfrDoes() throws Exception {
        Seen seen = serve(new ThreadRoutes(), "/sleep/pinned-native");
        // JFR's carrierThread is the carrier's Java name, e.g. ForkJoinPool-1-worker-2.
        assertTrue(seen.carrier().matches("ForkJoinPool-\\d+-worker-\\d+"), seen.carrier());
        assertThat(ThreadRoutes.carrierOf(Thread.currentThread()), is(""));
    }

    @Test
    void aThreadlessEventGetsTheRouteThatRanOnItsCarrier() throws Exception {
        ThreadRoutes routes = new ThreadRoutes();
        Seen seen = serve(routes, "/sleep/pinned-native");
        PinningMonitor monitor = monitor(routes);
        assertThat(monitor.routeOf(-1, seen.carrier(), seen.moment()), is("/sleep/pinned-native"));
        // With its thread, as before.
        assertThat(monitor.routeOf(seen.threadId(), seen.carrier(), seen.moment()), is("/sleep/pinned-native"));
    }

    @Test
    void aThreadlessEventElsewhereOrLaterStaysOther() throws Exception {
        ThreadRoutes routes = new ThreadRoutes();
        Seen seen = serve(routes, "/sleep/pinned-native");
        PinningMonitor monitor = monitor(routes);
        assertThat("another carrier", monitor.routeOf(-1, "ForkJoinPool-99-worker-99", seen.moment()), is("other"));
        assertThat("after the request ended", monitor.routeOf(-1, seen.carrier(), Instant.now().plusSeconds(1)),
                is("other"));
        assertThat("before it began", monitor.routeOf(-1, seen.carrier(), seen.moment().minusSeconds(1)), is("other"));
        assertThat("no carrier either", monitor.routeOf(-1, "", seen.moment()), is("other"));
    }

    @Test
    void theRequestThatRanOnTheCarrierLastWins() throws Exception {
        ThreadRoutes routes = new ThreadRoutes();
        Seen first = serve(routes, "/sleep/pinned-native");
        Seen second = serve(routes, "/sleep/pinned-clinit");
        PinningMonitor monitor = monitor(routes);
        assertThat(monitor.routeOf(-1, first.carrier(), first.moment()), is("/sleep/pinned-native"));
        assertThat(monitor.routeOf(-1, second.carrier(), second.moment()), is("/sleep/pinned-clinit"));
    }
}
