package dev.loomshowcase.web;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Ends the connection after an answer that says {@code Connection: close}, as RFC 9112 §9.6
 * requires, and serves nothing sent after it. Helidon 4.5.0 writes that header (the request asked
 * for it, or the handler set it) and then waits on the same connection and serves the next
 * request; worse, it skips the unread rest of such a request's body and parses it as that next
 * request, so a request hidden in the body of a {@code GET} runs (helidon-io/helidon#12324, fixed
 * after 4.5.3, which this mirror does not serve). Registered as the first filter of both sockets.
 */
public final class ConnectionCloseFilter implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        boolean close = req.headers().containsToken(HeaderValues.CONNECTION_CLOSE)
                || res.headers().containsToken(HeaderValues.CONNECTION_CLOSE);
        if (!close || !res.hasEntity()) {
            // Nothing written yet: Helidon still owes the client an answer, so the connection must stay.
            return;
        }
        // Routing has written the whole answer by now. The unread body is read first (as Helidon
        // does for a kept-alive request): a socket closed with input unread is reset, and the
        // client may lose the answer.
        try {
            if (!req.content().consumed()) {
                req.content().consume();
            }
        } catch (RuntimeException e) {
            // A body that cannot be read to its end (the client stopped sending) changes nothing: close anyway.
        }
        throw new CloseConnectionException("the answer said Connection: close");
    }
}
