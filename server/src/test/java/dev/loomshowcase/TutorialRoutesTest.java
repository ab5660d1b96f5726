package dev.loomshowcase;

import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseClient.Reply;

import io.helidon.webserver.testing.junit5.ServerTest;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The tutorials' own routes answer in the shape their tutorials show, and say which matrix
 * route did the work. (Their timings, which need the machine to themselves: TutorialTimingTest.)
 */
@RunsBesideOthers
@ServerTest(pinningDetection = true)
class TutorialRoutesTest {

    private static RunningShowcase SHOWCASE;
    /** sum(i*i for i in range(10**9)), exact as in Python: n(n-1)(2n-1)/6, past 2^64. */
    private static final BigInteger SUM_BELOW_10_9 = new BigInteger("333333332833333333500000000");

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    @ParameterizedTest(name = "{0} answers {1} = {2} and is served by {3}")
    @CsvSource({
            "/async-delay/0,       message, Async delay of 0 seconds completed, /sleep/virtual?ms=0",
            "/sync-delay/0,        message, Sync delay of 0 seconds completed,  /sleep/eventloop-blocked?ms=0",
            "/wait?secs=0,         status,  ready,                              /sleep/platform?ms=0",
            "/wait_async?secs=0,   status,  ready,                              /sleep/virtual?ms=0",
            "/sync/noawait,        mode,    sync-threadpool,                    /sleep/platform?ms=1000",
            "/async/await-one,     mode,    async-await-one,                    /sleep/virtual?ms=1000",
            "/async/wrap-blocking, mode,    async-wrap-blocking,                /sleep/platform?ms=1000",
            "/async/bad-blocking,  mode,    async-bad-blocking,                 /sleep/eventloop-blocked?ms=1000",
            "/async/cpu-bound,     mode,    async-cpu-threadpool,               /cpu/platform?n=1000000000",
            "/sync-slow,           status,  sync-slow done,                     /sleep/platform?ms=1000",
            "/async-slow,          status,  async-slow done,                    /sleep/virtual?ms=1000",
            "/sync-http,           status,  sync-http done,                     /http/platform?ms=1000",
            "/async-http,          status,  async-http done,                    /http/virtual?ms=1000",
            "/fetch-external-data, message, Fetched 3 external APIs concurrently, /fanout/structured?calls=3&ms=500&fail=0"
    })
    void tutorialRouteAnswersInItsShape(String path, String field, String value, String servedAs) {
        Reply reply = SHOWCASE.get(path);
        assertThat(reply.body(), reply.status(), is(200));
        JsonObject json = reply.json();
        assertThat(json.getString(field), is(value));
        assertThat(json.getString("servedAs"), is(servedAs));
        assertThat(json.containsKey("thread"), is(true));
    }

    @Test
    void cpuTutorialShapes() {
        for (String path : new String[] {"/generator", "/cycle", "/cycle_sleep"}) {
            JsonObject json = SHOWCASE.get(path).json();
            assertThat(path, json.getJsonNumber("total").bigIntegerValueExact(), is(SUM_BELOW_10_9));
        }
        JsonObject thread = SHOWCASE.get("/thread").json();
        assertThat(thread.getJsonObject("result").getJsonNumber("total").bigIntegerValueExact(), is(SUM_BELOW_10_9));
        assertThat(thread.getString("thread"), containsString("cpu-pool"));
    }

    @Test
    void tutorialUserRoutes() {
        Reply created = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/users/"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"email\": \"test@example.com\", \"full_name\": \"Test User\"}")));
        assertThat(created.body(), created.status(), is(201));
        assertThat(SHOWCASE.get("/users/test@example.com").json().getString("full_name"), is("Test User"));
        Reply chain = SHOWCASE.get("/user-with-external-data/test@example.com");
        assertThat(chain.body(), chain.status(), is(200));
        assertThat(chain.json().getJsonObject("user").getString("email"), is("test@example.com"));
    }

    @Test
    void backgroundTasksAnswerAtOnceWithAJobToPoll() throws Exception {
        Reply processing = SHOWCASE.send(HttpRequest.newBuilder(SHOWCASE.uri("/process-data/any_message"))
                .POST(BodyPublishers.noBody()));
        assertThat(processing.body(), processing.status(), is(200));
        assertThat(processing.json().getString("message"), is("Processing started in background"));
        assertThat(processing.header("Location"), is(processing.json().getString("job")));

        Reply background = SHOWCASE.get("/background");
        assertThat(background.json().getString("message"), is("long running task queued"));
        String job = background.json().getString("job");
        String status = "queued";
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!status.equals("succeeded") && !status.equals("failed") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = SHOWCASE.get(job).json().getString("status");
        }
        assertThat("the queued CPU job ran to the end", status, is("succeeded"));
    }

    @Test
    void healthAndBounds() {
        assertThat(SHOWCASE.get("/health").json().getString("status"), is("healthy"));
        assertThat(SHOWCASE.get("/async-delay/61").status(), is(400));
        assertThat(SHOWCASE.get("/async-delay/abc").status(), is(400));
        // Fullwidth digits are not a number here (Long.parseLong alone would sleep 12 s).
        assertThat(SHOWCASE.get("/async-delay/%EF%BC%91%EF%BC%92").status(), is(400));
        assertThat(SHOWCASE.get("/wait?secs=-1").status(), is(400));
    }
}
