package dev.loomshowcase.jobs;

import java.util.Set;

import dev.loomshowcase.web.Parameter;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * {@code process-data}: the tutorials' "process this message in the background", as a few
 * steps of simulated I/O (each a sleep standing for a call or a query). On a virtual thread
 * each step's wait costs no thread, and the sleep is where a cancel interrupts it.
 */
public final class ProcessDataJob implements JobKind {

    static final int MAX_MESSAGE = 1_000;
    static final Parameter STEPS = new Parameter("steps", 1, 100, 5, "steps of simulated I/O");
    static final Parameter STEP_MS = new Parameter("stepMs", 0, 60_000, 200, "milliseconds each step waits");

    @Override
    public String name() {
        return "process-data";
    }

    @Override
    public boolean cpuBound() {
        return false;
    }

    @Override
    public String parameters() {
        return "message: string of at most " + MAX_MESSAGE + " characters, steps: 1..100 (default 5), "
                + "stepMs: 0..60000 (default 200)";
    }

    @Override
    public JsonObject params(JsonObject given) {
        Params.allowOnly(given, name(), Set.of("message", STEPS.name(), STEP_MS.name()));
        return JSON.createObjectBuilder()
                .add("message", Params.text(given, "message", MAX_MESSAGE))
                .add(STEPS.name(), Params.number(given, STEPS))
                .add(STEP_MS.name(), Params.number(given, STEP_MS))
                .build();
    }

    @Override
    public JsonValue run(JsonObject params, Progress progress) throws InterruptedException {
        String message = params.getString("message");
        int steps = params.getInt(STEPS.name());
        long stepMs = params.getJsonNumber(STEP_MS.name()).longValue();
        for (int step = 1; step <= steps; step++) {
            progress.check();
            Thread.sleep(stepMs);
            progress.report(step * 100 / steps);
        }
        String trimmed = message.strip();
        return JSON.createObjectBuilder()
                .add("message", message)
                .add("characters", message.codePointCount(0, message.length()))
                .add("words", trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length)
                .add("steps", steps)
                .add("waitedMs", steps * stepMs)
                .build();
    }
}
