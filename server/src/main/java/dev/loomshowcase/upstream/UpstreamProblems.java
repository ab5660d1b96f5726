package dev.loomshowcase.upstream;

import java.io.InterruptedIOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.loomshowcase.web.Problem;

import jakarta.json.JsonObject;

import static dev.loomshowcase.web.JsonValues.JSON;

/**
 * What a failed upstream call becomes, for both clients of {@link UpstreamClient}: 504 when a
 * timeout ran out (naming it), 502 for anything else (naming the call), as problem+json.
 */
final class UpstreamProblems {

    private final Supplier<URI> baseUri;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    UpstreamProblems(Supplier<URI> baseUri, Duration connectTimeout, Duration readTimeout) {
        this.baseUri = baseUri;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** The upstream's answer as JSON; an error status, or a body that is not JSON, is a 502 naming the call. */
    static JsonObject json(int status, String body, String call) {
        if (status >= 400) {
            throw Problem.badGateway("The upstream answered " + status + " to " + call + ".", null)
                    .with("upstreamStatus", status);
        }
        try {
            return JSON.createReader(new StringReader(body)).readObject();
        } catch (RuntimeException e) {
            throw Problem.badGateway("The upstream's answer to " + call + " is not a JSON object.", e);
        }
    }

    /**
     * A failure that is neither a refused or slow connect, nor a wait as long as the read
     * timeout, nor the caller's cancellation (an interrupt).
     */
    boolean brokeEarly(Throwable error, long elapsedNanos) {
        if (Thread.currentThread().isInterrupted()) {
            return false;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || connectTimeout(t) || t instanceof InterruptedException
                    || t instanceof ClosedByInterruptException
                    || (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException))) {
                return false;
            }
        }
        return elapsedNanos < readTimeout.toNanos() / 2;
    }

    private static boolean connectTimeout(Throwable t) {
        return t instanceof HttpConnectTimeoutException || (t instanceof SocketTimeoutException
                && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("connect"));
    }

    /**
     * Maps a failed call to 504 (timed out) or 502 (anything else), naming the timeout.
     *
     * @param elapsedNanos how long the call took, or -1 when not measured
     */
    Problem failure(Throwable error, String call, long elapsedNanos) {
        if (error instanceof Problem problem) {
            return problem;
        }
        if (elapsedNanos >= 0 && brokeEarly(error, elapsedNanos)) {
            // Not our read timeout, whatever the exception's type: the connection broke first.
            return Problem.badGateway("The connection to the upstream broke before it answered " + call + ": "
                    + error, error);
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (connectTimeout(t)) {
                return Problem.gatewayTimeout("Could not connect to the upstream at " + baseUri.get() + " within the "
                                + connectTimeout.toMillis() + " ms connect timeout.", error)
                        .with("connectTimeoutMs", connectTimeout.toMillis());
            }
            if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException
                    || t instanceof TimeoutException || t instanceof InterruptedIOException) {
                return Problem.gatewayTimeout("The upstream did not answer " + call + " within the "
                                + readTimeout.toMillis() + " ms read timeout.", error)
                        .with("readTimeoutMs", readTimeout.toMillis());
            }
            if (t instanceof ConnectException) {
                return Problem.badGateway("The upstream at " + baseUri.get() + " refused the connection.", error);
            }
        }
        return Problem.badGateway("The call to the upstream failed: " + error, error);
    }
}
