package dev.loomshowcase.jobs;

import java.util.Set;

import dev.loomshowcase.web.JsonValues;
import dev.loomshowcase.work.CpuScenario;
import dev.loomshowcase.work.SumOfSquares;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code cpu}: the exact sum of i*i for i &lt; n, the same loop ({@link SumOfSquares}) and bounds as {@code /cpu/{style}},
 * run in chunks so that it can report progress and stop when cancelled. A tight loop never
 * blocks, so an interrupt alone would not stop it: the check between chunks is what makes it
 * cancellable.
 */
public final class CpuJob implements JobKind {

    /** Iterations between two progress reports and cancellation checks (a few ms of work). */
    static final long CHUNK = 10_000_000;

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public boolean cpuBound() {
        return true;
    }

    @Override
    public String parameters() {
        return "n: " + CpuScenario.N.min() + ".." + CpuScenario.N.max() + " (default " + CpuScenario.N.defaultValue() + ")";
    }

    @Override
    public JsonObject params(JsonObject given) {
        Params.allowOnly(given, name(), Set.of("n"));
        return JSON.createObjectBuilder().add("n", Params.number(given, CpuScenario.N)).build();
    }

    @Override
    public JsonValue run(JsonObject params, Progress progress) throws InterruptedException {
        long n = params.getJsonNumber("n").longValueExact();
        SumOfSquares sum = SumOfSquares.ZERO;
        for (long start = 0; start < n; start += CHUNK) {
            progress.check();
            long end = Math.min(n, start + CHUNK);
            sum = sum.plusSquares(start, end);
            progress.report((int) (end * 100.0 / n));
        }
        return JsonValues.of(new CpuScenario.Sum(n, sum));
    }
}
