package dev.loomshowcase.web;

import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.http.HttpException;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;

/**
 * How both sockets answer a failure: as problem+json, like FastAPI's exception handlers answer
 * {@code HTTPException}. A handler's {@link Problem} goes out as it is; Helidon's own exceptions
 * and anything unexpected become a short problem, never a stack trace. (What no route serves at
 * all is answered by {@link ProblemDirectHandler}.)
 */
public final class ErrorAnswers {

    private static final Logger LOGGER = Logger.getLogger(ErrorAnswers.class.getName());

    private ErrorAnswers() {
    }

    /**
     * Registers the error handlers on a socket's routing.
     *
     * @param endpoints what the socket serves, named in the answer to a request no route takes
     */
    public static void register(HttpRouting.Builder routing, Supplier<List<Endpoint>> endpoints) {
        Unrouted unrouted = new Unrouted(endpoints);
        routing.error(Problem.class, (req, res, problem) -> {
                    // A failed upstream (502, 504) or a server fault is the operator's to see, with its
                    // cause, in one line; a full pool (503) is the server working as designed.
                    int code = problem.status().code();
                    if (code >= 500 && code != 503) {
                        Throwable cause = problem.getCause();
                        LOGGER.warning(req.prologue().method().text() + " " + req.path().path() + " → " + code + ": "
                                + problem.getMessage() + (cause == null ? "" : " (" + cause + ")"));
                    }
                    problem.send(res);
                })
                // With a filter in the chain, "no route" arrives here as an exception.
                .error(NotFoundException.class, (req, res, e) ->
                        unrouted.problem(req.prologue().method().text(), req.path().path()).send(res))
                .error(HttpException.class, (req, res, e) -> {
                    if (e.status().code() < 400) {
                        // Not an error: Helidon's static content answers a browser's revalidation with a 304
                        // this way. No problem body, and no problem type either, which a cache would keep.
                        e.headers().forEach(res::header);
                        res.status(e.status()).send();
                        return;
                    }
                    Problem.of(e.status(), e.status().reasonPhrase(),
                            "The request could not be handled: " + e.getMessage()).send(res);
                })
                .error(Exception.class, (req, res, e) -> {
                    // Log the trace for the operator; the client gets a short problem, never the trace.
                    LOGGER.log(Level.WARNING, "Unhandled error on " + req.prologue().method().text() + " "
                            + req.path().path(), e);
                    Problem.of(Status.INTERNAL_SERVER_ERROR_500, "Internal error",
                            "The server failed to handle this request: " + e.getClass().getSimpleName() + ".").send(res);
                });
    }
}
