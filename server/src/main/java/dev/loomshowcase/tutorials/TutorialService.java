package dev.loomshowcase.tutorials;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.loomshowcase.db.Database;
import dev.loomshowcase.jobs.Job;
import dev.loomshowcase.jobs.JobQueue;
import dev.loomshowcase.styles.Answer;
import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.JsonValues;
import dev.loomshowcase.web.Parameter;
import dev.loomshowcase.web.Problem;
import dev.loomshowcase.work.CpuScenario;
import dev.loomshowcase.work.Route;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * The FastAPI tutorials' own routes, answering their own clients: each is one cell of the
 * scenario × style matrix with the tutorial's parameters, and answers in the tutorial's shape
 * plus {@code servedAs} (the matrix URL that did the work), {@code thread}, {@code elapsedMs} and
 * {@code work} (what the matrix route returned). The index shows the mapping, so a reader can go from the Python they know
 * to the Java route that teaches the same lesson.
 */
public final class TutorialService implements EndpointService {

    static final Parameter SECONDS = new Parameter("seconds", 0, 60, 1, "seconds to wait");
    static final Parameter SECS = new Parameter("secs", 0, 60, 1, "seconds to wait");

    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Database database;
    private final JobQueue jobs;

    /**
     * @param matrix   every scenario × style route
     * @param database checked by {@code /health}
     * @param jobs     where the tutorials' BackgroundTasks go
     */
    public TutorialService(List<Route> matrix, Database database, JobQueue jobs) {
        matrix.forEach(route -> routes.put(route.path(), route));
        this.database = database;
        this.jobs = jobs;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.of(
                // Tutorial 002: async-delay vs sync-delay, performance, fetch-external-data, health.
                pathSeconds("/async-delay/{seconds}", "/sleep/virtual", "await asyncio.sleep(seconds)",
                        s -> JSON.createObjectBuilder().add("message", "Async delay of " + s + " seconds completed")),
                pathSeconds("/sync-delay/{seconds}", "/sleep/eventloop-blocked", "time.sleep(seconds) blocking the loop",
                        s -> JSON.createObjectBuilder().add("message", "Sync delay of " + s + " seconds completed")),
                fixed("/performance/async", "three 1 s calls with asyncio.gather: ≈ 1 s", "/fanout/structured",
                        Map.of("calls", 3L, "ms", 1_000L), result -> JSON.createObjectBuilder().add("type", "async")),
                fixed("/performance/sync", "three 1 s calls one after another: ≈ 3 s", "/fanout/sequential",
                        Map.of("calls", 3L, "ms", 1_000L), result -> JSON.createObjectBuilder().add("type", "sync")),
                fixed("/fetch-external-data", "several external APIs at once (httpx + gather)", "/fanout/structured",
                        Map.of("calls", 3L, "ms", 500L),
                        result -> JSON.createObjectBuilder().add("message", "Fetched 3 external APIs concurrently")),
                Endpoint.of(Method.GET, "/health", "tutorial: health check; answers once the database answers",
                        this::health),
                Endpoint.of(Method.POST, "/process-data/{message}",
                        "tutorial: BackgroundTasks for CPU-ish work = POST /jobs {\"kind\": \"process-data\"}; "
                                + "answers at once with the job to poll", this::processData),
                // Tutorial 001: the endpoint zoo.
                fixed("/sync/noawait", "def handler with blocking I/O, run on the threadpool", "/sleep/platform",
                        Map.of("ms", 1_000L), result -> JSON.createObjectBuilder().add("mode", "sync-threadpool")),
                fixed("/async/await-one", "await asyncio.sleep: non-blocking", "/sleep/virtual",
                        Map.of("ms", 1_000L), result -> JSON.createObjectBuilder().add("mode", "async-await-one")),
                fixed("/async/await-many", "asyncio.gather: total ≈ max(durations)", "/fanout/structured",
                        Map.of("calls", 3L, "ms", 1_000L), result -> JSON.createObjectBuilder().add("mode", "async-gather")),
                fixed("/async/wrap-blocking", "run_in_threadpool(blocking_call)", "/sleep/platform",
                        Map.of("ms", 1_000L), result -> JSON.createObjectBuilder().add("mode", "async-wrap-blocking")),
                fixed("/async/bad-blocking", "anti-pattern: time.sleep inside async def", "/sleep/eventloop-blocked",
                        Map.of("ms", 1_000L), result -> JSON.createObjectBuilder().add("mode", "async-bad-blocking")),
                fixed("/async/cpu-bound", "CPU work offloaded to a threadpool", "/cpu/platform",
                        Map.of(), result -> JSON.createObjectBuilder().add("mode", "async-cpu-threadpool")),
                // Tutorial 003: /wait (def) and /wait_async (async def).
                querySecs("/wait", "def handler: time.sleep(secs) on the threadpool", "/sleep/platform"),
                querySecs("/wait_async", "async def handler: await asyncio.sleep(secs)", "/sleep/virtual"),
                // Tutorial 004: CPU-bound work five ways.
                fixed("/generator", "sum(i*i for i in range(n)) in async def: holds the loop", "/cpu/virtual",
                        Map.of(), CpuShape.TOTAL),
                fixed("/cycle", "a for loop in async def: holds the loop", "/cpu/virtual", Map.of(), CpuShape.TOTAL),
                fixed("/cycle_sleep", "the loop with await asyncio.sleep(0) every 100,000", "/cpu/yielding",
                        Map.of(), CpuShape.TOTAL),
                fixed("/thread", "loop.run_in_executor(executor, cpu_task)", "/cpu/platform", Map.of(), CpuShape.RESULT),
                Endpoint.of(Method.GET, "/background", "tutorial: BackgroundTasks.add_task(cpu_task) = POST /jobs "
                        + "{\"kind\": \"cpu\"}; fire and forget, but here the job can be polled", this::background),
                // Tutorial 000: the benchmark's four cases.
                fixed("/sync-slow", "requests-style blocking sleep on a capped threadpool (app.platform-pool.size=1 "
                        + "reproduces the tutorial's cap)", "/sleep/platform", Map.of("ms", 1_000L),
                        result -> JSON.createObjectBuilder().add("status", "sync-slow done")),
                fixed("/async-slow", "await asyncio.sleep", "/sleep/virtual", Map.of("ms", 1_000L),
                        result -> JSON.createObjectBuilder().add("status", "async-slow done")),
                fixed("/sync-http", "requests.get to the external API on the capped threadpool", "/http/platform",
                        Map.of("ms", 1_000L), result -> JSON.createObjectBuilder().add("status", "sync-http done")),
                fixed("/async-http", "httpx.AsyncClient.get to the external API", "/http/virtual",
                        Map.of("ms", 1_000L), result -> JSON.createObjectBuilder().add("status", "async-http done")));
    }

    /** The CPU tutorial's two answer shapes. */
    private enum CpuShape implements Function<Object, JsonObjectBuilder> {
        TOTAL, RESULT;

        @Override
        public JsonObjectBuilder apply(Object result) {
            BigInteger total = ((CpuScenario.Sum) result).sumOfSquares();
            return this == TOTAL
                    ? JSON.createObjectBuilder().add("total", total)
                    : JSON.createObjectBuilder().add("result", JSON.createObjectBuilder().add("total", total));
        }
    }

    private Endpoint fixed(String path, String lesson, String route, Map<String, Long> parameters,
                           Function<Object, JsonObjectBuilder> shape) {
        Route target = route(route);
        return Endpoint.of(Method.GET, path, summary(lesson, target.example(parameters)),
                (req, res) -> answer(res, target, parameters, shape));
    }

    private Endpoint pathSeconds(String path, String route, String lesson, Function<Long, JsonObjectBuilder> shape) {
        Route target = route(route);
        return new Endpoint(Method.GET, path, summary(lesson, target.path() + "?ms=seconds×1000"), List.of(),
                path.replace("{seconds}", "2"), (req, res) -> {
                    long seconds = seconds(req.path().pathParameters().get("seconds"));
                    answer(res, target, Map.of("ms", seconds * 1_000), result -> shape.apply(seconds));
                });
    }

    private Endpoint querySecs(String path, String lesson, String route) {
        Route target = route(route);
        Handler handler = (req, res) -> answer(res, target, Map.of("ms", SECS.from(req) * 1_000),
                result -> JSON.createObjectBuilder().add("status", "ready"));
        return new Endpoint(Method.GET, path, summary(lesson, target.path() + "?ms=secs×1000"), List.of(SECS),
                path + "?secs=1", handler);
    }

    /** The tutorial answers before the work is done; the job it queued can be polled. */
    private void processData(ServerRequest req, ServerResponse res) {
        String message = req.path().pathParameters().get("message");
        if (message.length() > 1_000) {
            throw Problem.badRequest("The message is limited to 1000 characters.");
        }
        Job job = jobs.submit("process-data", JSON.createObjectBuilder().add("message", message).build());
        queued(res, job, "Processing started in background");
    }

    private void background(ServerRequest req, ServerResponse res) {
        queued(res, jobs.submit("cpu", JsonObject.EMPTY_JSON_OBJECT), "long running task queued");
    }

    private static void queued(ServerResponse res, Job job, String message) {
        res.header(HeaderNames.LOCATION, "/jobs/" + job.id());
        res.send(JSON.createObjectBuilder()
                .add("message", message)
                .add("job", "/jobs/" + job.id())
                .add("servedAs", "POST /jobs {\"kind\": \"" + job.kind() + "\"}")
                .build());
    }

    private void health(ServerRequest req, ServerResponse res) {
        database.run(db -> db.namedGet("ping"));
        res.send(JSON.createObjectBuilder().add("status", "healthy").add("database", "up").build());
    }

    private static long seconds(String raw) {
        try {
            // ASCII digits only, as for query parameters: Long.parseLong also reads other scripts' ("１２").
            if (!raw.matches("[0-9]{1,9}")) {
                throw new NumberFormatException(raw);
            }
            return SECONDS.check(Long.parseLong(raw));
        } catch (NumberFormatException e) {
            throw Problem.badRequest("The path segment 'seconds' must be an integer from 0 to 60.")
                    .with("parameter", "seconds").with("minimum", 0).with("maximum", 60);
        }
    }

    private static String summary(String lesson, String servedAs) {
        return "tutorial: " + lesson + " = " + servedAs;
    }

    private Route route(String path) {
        Route route = routes.get(path);
        if (route == null) {
            throw new IllegalStateException("no matrix route " + path);
        }
        return route;
    }

    /** Runs the matrix route and answers in the tutorial's shape, plus where the work ran. */
    private static void answer(ServerResponse res, Route route, Map<String, Long> parameters,
                               Function<Object, JsonObjectBuilder> shape) throws Exception {
        long start = System.nanoTime();
        Answer<?> answer = route.run(parameters);
        res.send(shape.apply(answer.result())
                .add("servedAs", route.example(parameters))
                .add("thread", answer.thread())
                .add("virtual", answer.virtual())
                .add("elapsedMs", (System.nanoTime() - start) / 1_000_000)
                .add("work", JsonValues.of(answer.result()))
                .build());
    }
}
