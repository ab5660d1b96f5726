package dev.loomshowcase.jobs;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * One kind of background work. A kind checks its parameters when the job is submitted, so a
 * job that is accepted (202) can only fail for reasons found while it runs, never for a typo
 * in its request.
 */
public interface JobKind {

    /** The name clients give as {@code "kind"}. */
    String name();

    /**
     * Whether the work computes rather than waits. Computing work runs on a pool of platform
     * threads sized to the cores: on virtual threads it would hold carriers for its whole run and
     * starve every request. Waiting work runs on virtual threads, where waiting is cheap.
     */
    boolean cpuBound();

    /** Its parameters, for the index and error messages, e.g. {@code n: 1..2e10 (default 1e9)}. */
    String parameters();

    /**
     * The parameters the work will run with: each one checked against its bounds, defaults
     * filled in, unknown members refused.
     *
     * @param given the request body without {@code kind}
     * @throws dev.loomshowcase.web.Problem 400 naming the member that is wrong
     */
    JsonObject params(JsonObject given);

    /**
     * Does the work.
     *
     * @param params   what {@link #params} returned
     * @param progress where to report progress and ask whether to stop
     * @return the result, stored as JSON
     */
    JsonValue run(JsonObject params, Progress progress) throws Exception;
}
