package dev.loomshowcase.support;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * What every hostile-client test ends with: the server still answers {@code GET /whoami}, and
 * fast. The best of three tries must be under 100 ms, so one garbage-collection pause or a busy
 * shared machine does not fail a server that is fine, but a stuck or starved one does.
 */
public final class StillServing {

    private StillServing() {
    }

    public static void assertWhoamiWithin100Ms(ShowcaseClient server) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            ShowcaseClient.Reply reply = server.get("/whoami");
            assertThat("GET /whoami still answers: " + reply.body(), reply.status(), is(200));
            best = Math.min(best, reply.elapsedMs());
        }
        assertThat("GET /whoami answers within 100 ms (best of 3, in ms)", best, lessThan(100L));
    }
}
