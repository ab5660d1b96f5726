package dev.loomshowcase.work;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import dev.loomshowcase.concurrency.BoundedPool;
import dev.loomshowcase.concurrency.Concurrently;
import dev.loomshowcase.concurrency.Waiting;
import dev.loomshowcase.styles.Styles;
import dev.loomshowcase.upstream.UpstreamClient;
import dev.loomshowcase.upstream.UpstreamClient.Reply;
import dev.loomshowcase.web.Parameter;
import dev.loomshowcase.web.Problem;

import static dev.loomshowcase.work.SleepScenario.MS;

/**
 * {@code /fanout/{style}?calls=&ms=&fail=}: several upstream calls for one request, FastAPI's
 * {@code asyncio.gather}. Sequentially the request takes the sum of the calls; concurrently,
 * about the slowest one. Four ways, with matching names so they can be read side by side:
 * {@code sequential}, {@code structured} (StructuredTaskScope), {@code futures}
 * (CompletableFuture.allOf) and {@code platform} (each call on the bounded platform pool).
 * {@code fail=k} makes call k answer 500 at once, to show what each way does with a failure.
 */
public final class FanoutScenario implements Scenario {

    public static final Parameter CALLS = new Parameter("calls", 1, 1_000, 3, "how many upstream calls to make");
    public static final Parameter FAIL = new Parameter("fail", 0, 1_000, 0,
            "the call (1..calls) that answers 500 at once; 0 = none fails");

    /** What a fan-out returns: how many calls, and how much upstream waiting they added up to. */
    public record Fanned(int calls, long msEach, long sumOfUpstreamMs) {

        static Fanned of(List<Reply> replies, long ms) {
            return new Fanned(replies.size(), ms, replies.stream().mapToLong(Reply::delayMs).sum());
        }
    }

    private final Styles styles;
    private final UpstreamClient upstream;
    private final BoundedPool platformPool;

    public FanoutScenario(Styles styles, UpstreamClient upstream, BoundedPool platformPool) {
        this.styles = styles;
        this.upstream = upstream;
        this.platformPool = platformPool;
    }

    @Override
    public void addRoutes(Routes routes) {
        routes.with(CALLS, MS, FAIL)
                // The calls awaited one by one: for url in urls: await client.get(url).
                .get("/fanout/sequential", "calls one after another on the request's virtual thread: takes the sum",
                        q -> styles.virtual().run(() -> sequential(Plan.of(q))))
                // async with asyncio.TaskGroup() as tg: tg.create_task(...) for each call.
                .get("/fanout/structured", "all calls at once in a StructuredTaskScope, a virtual thread each: "
                        + "takes the slowest; a failure cancels the rest", q -> styles.virtual().run(() -> structured(Plan.of(q))))
                // await asyncio.gather(*(client.get(url) for url in urls)).
                .get("/fanout/futures", "all calls at once with HttpClient.sendAsync + CompletableFuture.allOf",
                        q -> styles.reactive().run(() -> futures(Plan.of(q))))
                // Each requests.get handed to run_in_threadpool: at most the pool's size at once.
                .get("/fanout/platform", "each call on the bounded pool of " + platformPool.size()
                        + " platform threads: at most that many at once", q -> styles.virtual().run(() -> platform(Plan.of(q))));
    }

    /** One request's fan-out: how many calls, how long each, which one fails (0 = none). */
    private record Plan(int calls, long ms, int fail) {

        static Plan of(Query query) {
            int calls = (int) query.get(CALLS);
            int fail = (int) query.get(FAIL);
            if (fail > calls) {
                throw Problem.badRequest("Parameter 'fail' must be between 0 and calls (" + calls + "), got " + fail + ".")
                        .with("parameter", FAIL.name()).with("minimum", 0).with("maximum", calls);
            }
            return new Plan(calls, query.get(MS), fail);
        }

        /** Call k (1-based) of this plan, blocking. */
        Reply call(UpstreamClient upstream, int k) {
            return k == fail ? upstream.delay(0, 500) : upstream.delay(ms, 200);
        }

        /** Call k of this plan, non-blocking. */
        CompletableFuture<Reply> callAsync(UpstreamClient upstream, int k) {
            return k == fail ? upstream.delayAsync(0, 500) : upstream.delayAsync(ms, 200);
        }

        /** Says which call failed and what happened to the others, keeping the upstream's status. */
        Problem failed(int k, Exception e, String others) {
            Problem cause = e instanceof Problem p ? p : Problem.badGateway(String.valueOf(e), e);
            String why = cause.getMessage().replaceAll("\\.$", "");
            return cause.retold("Call " + k + " of " + calls + " failed (" + why + "); " + others + ".")
                    .with("failedCall", k);
        }
    }

    /** What the upstream does meanwhile: it cannot see a closed connection while it waits (see DelayService). */
    private static final String UPSTREAM_UNAWARE = " (the upstream may still be working on them)";

    /** One call after another: the request takes the sum of the calls. */
    private Fanned sequential(Plan plan) {
        List<Reply> replies = new ArrayList<>();
        for (int k = 1; k <= plan.calls(); k++) {
            try {
                replies.add(plan.call(upstream, k));
            } catch (Problem e) {
                throw plan.failed(k, e, "the remaining calls were never made");
            }
        }
        return Fanned.of(replies, plan.ms());
    }

    /**
     * Every call at once, each on its own virtual thread, inside one structured scope. The first
     * failure makes the scope interrupt the other threads; an interrupted {@code HttpClient.send}
     * cancels its exchange (closes the connection) and returns at once, so the scope closes at once.
     */
    private Fanned structured(Plan plan) throws Exception {
        List<Callable<Reply>> calls = IntStream.rangeClosed(1, plan.calls())
                .<Callable<Reply>>mapToObj(k -> () -> {
                    try {
                        return plan.call(upstream, k);
                    } catch (Problem e) {
                        throw plan.failed(k, e, "the scope interrupted the other calls, and each interrupted "
                                + "HttpClient.send closed its connection" + UPSTREAM_UNAWARE);
                    }
                })
                .toList();
        return Fanned.of(Concurrently.all(calls), plan.ms());
    }

    /**
     * Every call at once as futures; the first failure cancels the others. delayAsync's futures
     * derive from {@code HttpClient.sendAsync}'s, which the JDK documents as cancelable:
     * {@code cancel(true)} on one closes its exchange's connection. (Cancelling a future that
     * merely waits for another, as {@code CompletableFuture.cancel} always does, would stop nothing.)
     */
    private CompletableFuture<Fanned> futures(Plan plan) {
        List<CompletableFuture<Reply>> calls = IntStream.rangeClosed(1, plan.calls())
                .mapToObj(k -> plan.callAsync(upstream, k))
                .toList();
        CompletableFuture<Fanned> result = new CompletableFuture<>();
        // allOf waits for every future even after one has failed; fail fast instead, like the scope.
        for (int k = 1; k <= plan.calls(); k++) {
            int call = k;
            calls.get(k - 1).whenComplete((reply, error) -> {
                if (error != null && !result.isDone()) {
                    result.completeExceptionally(plan.failed(call, Waiting.causeOf(error),
                            "cancel(true) on the other sendAsync futures closed their connections" + UPSTREAM_UNAWARE));
                }
            });
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .thenRun(() -> result.complete(Fanned.of(calls.stream().map(CompletableFuture::join).toList(), plan.ms())));
        result.whenComplete((fanned, error) -> {
            if (error != null) {
                calls.forEach(other -> other.cancel(true));
            }
        });
        return result;
    }

    /**
     * Every call queued on the platform pool; at most pool-size run at once. The answers are taken
     * as they come, so a failure is seen at once, not after the calls queued before it.
     */
    private Fanned platform(Plan plan) throws Exception {
        var answered = new ExecutorCompletionService<Reply>(platformPool);
        Map<Future<Reply>, Integer> calls = new HashMap<>();
        try {
            for (int k = 1; k <= plan.calls(); k++) {
                int call = k;
                calls.put(answered.submit(() -> plan.call(upstream, call)), call);
            }
            List<Reply> replies = new ArrayList<>();
            for (int i = 0; i < plan.calls(); i++) {
                Future<Reply> next = answered.take();
                try {
                    replies.add(Waiting.forResult(next));
                } catch (Problem e) {
                    throw plan.failed(calls.get(next), e, "the other pool tasks were cancelled with an interrupt: the "
                            + "running ones closed their connections, the queued ones were never made" + UPSTREAM_UNAWARE);
                }
            }
            return Fanned.of(replies, plan.ms());
        } finally {
            // On success this does nothing; on failure (or a full pool) it frees the pool: an interrupted
            // HttpClient.send cancels its exchange, and a task not started yet never runs.
            calls.keySet().forEach(call -> call.cancel(true));
        }
    }
}
