package dev.loomshowcase.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * gzip for every route of a socket, written once: JSON (including problem+json), NDJSON and CSV
 * bodies are compressed with the JDK's {@link GZIPOutputStream} when the request's
 * {@code Accept-Encoding} allows gzip, and answered with {@code Content-Encoding: gzip} and
 * {@code Vary: Accept-Encoding}. Helidon's own gzip module is not on the class path; a stream
 * filter on the response is all it takes.
 * <p>
 * The rules, all decided when the handler writes its first bytes (by then it has set its
 * {@code Content-Type}):
 * <ul>
 *     <li>other media types (HTML, server-sent events, octets) pass through untouched;</li>
 *     <li>a response that already has a {@code Content-Encoding} is never compressed twice, and one
 *     whose handler fixed a {@code Content-Length} is left alone too (that length would be wrong);</li>
 *     <li>bodies under {@value #MIN_BYTES} bytes stay plain: gzip's frame and the CPU buy nothing on a
 *     short problem+json. A handler that flushes before that (a stream) is compressed at once, since
 *     a flush means "the client should see this now";</li>
 *     <li>compressed bodies carry no {@code Content-Length} of their own: Helidon counts the
 *     compressed bytes when they fit one buffer, and sends the rest chunked;</li>
 *     <li>{@code HEAD} is never compressed.</li>
 * </ul>
 */
public final class GzipFilter implements Filter {

    /** Bodies shorter than this are sent plain. */
    public static final int MIN_BYTES = 1024;

    private static final String ACCEPT_ENCODING = "Accept-Encoding";

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        boolean gzipAllowed = acceptsGzip(req.headers().all(HeaderNames.ACCEPT_ENCODING, List::of))
                && !req.prologue().method().equals(Method.HEAD);
        // Applied when a handler (or Helidon's send) opens the response stream, after error resets too.
        res.streamFilter(out -> new GzipWhenWorthIt(out, res.headers(), gzipAllowed));
        chain.proceed();
    }

    /**
     * Whether {@code Accept-Encoding} allows gzip: {@code gzip} (or {@code x-gzip}) with a q-value
     * above 0, or, when gzip is not named, {@code *} above 0. No header means no gzip: the client
     * never said it can decode one.
     */
    static boolean acceptsGzip(List<String> acceptEncoding) {
        double gzip = -1;
        double any = -1;
        for (String header : acceptEncoding) {
            for (String member : header.split(",")) {
                String[] fields = member.split(";");
                String coding = fields[0].strip().toLowerCase(Locale.ROOT);
                double q = 1;
                for (int i = 1; i < fields.length; i++) {
                    String field = fields[i].strip();
                    if (field.regionMatches(true, 0, "q=", 0, 2)) {
                        q = qValue(field.substring(2));
                    }
                }
                if (coding.equals("gzip") || coding.equals("x-gzip")) {
                    gzip = Math.max(gzip, q);
                } else if (coding.equals("*")) {
                    any = Math.max(any, q);
                }
            }
        }
        return gzip >= 0 ? gzip > 0 : any > 0;
    }

    private static double qValue(String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            // A q-value we cannot read is no consent to a coding.
            return 0;
        }
    }

    /** The media types worth compressing: text that repeats itself. */
    static boolean compressible(HttpMediaType type) {
        String main = type.type().toLowerCase(Locale.ROOT);
        String sub = type.subtype().toLowerCase(Locale.ROOT);
        return main.equals("application") && (sub.equals("json") || sub.endsWith("+json")
                || sub.equals("x-ndjson") || sub.equals("ndjson"))
                || main.equals("text") && sub.equals("csv");
    }

    /**
     * Holds the first bytes until it knows whether compressing is worth it, then either passes
     * everything through or wraps Helidon's stream in a {@link GZIPOutputStream} whose flushes
     * are sync flushes (so a stream's lines still arrive as they are written).
     */
    private static final class GzipWhenWorthIt extends OutputStream {

        private final OutputStream plain;
        private final ServerResponseHeaders headers;
        private final boolean gzipAllowed;
        private ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private OutputStream decided;
        private boolean closed;

        private GzipWhenWorthIt(OutputStream plain, ServerResponseHeaders headers, boolean gzipAllowed) {
            this.plain = plain;
            this.headers = headers;
            this.gzipAllowed = gzipAllowed;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (decided == null) {
                if (!candidate()) {
                    decide(false);
                } else if (pending.size() + len < MIN_BYTES) {
                    pending.write(b, off, len);
                    return;
                } else {
                    decide(true);
                }
            }
            decided.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (decided == null && pending.size() > 0) {
                decide(candidate());
            }
            if (decided != null) {
                decided.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (decided == null) {
                // Everything fitted under MIN_BYTES (or nothing was written): it stays plain.
                decide(false);
            }
            decided.close();
        }

        /** Whether the response may be compressed, judged from its headers as they are now. */
        private boolean candidate() {
            return gzipAllowed && varies();
        }

        /** Whether this response's encoding depends on Accept-Encoding at all. */
        private boolean varies() {
            return headers.contentType().map(GzipFilter::compressible).orElse(false)
                    && !headers.contains(HeaderNames.CONTENT_ENCODING)
                    && !headers.contains(HeaderNames.CONTENT_LENGTH);
        }

        private void decide(boolean gzip) throws IOException {
            // Nothing has reached Helidon's stream yet, so the headers can still change.
            if (varies() && headers.all(HeaderNames.VARY, List::of).stream()
                    .flatMap(value -> List.of(value.split(",")).stream())
                    .noneMatch(name -> name.strip().equalsIgnoreCase(ACCEPT_ENCODING))) {
                headers.add(HeaderNames.VARY, ACCEPT_ENCODING);
            }
            if (gzip) {
                headers.set(HeaderNames.CONTENT_ENCODING, "gzip");
                decided = new GZIPOutputStream(plain, 8 * 1024, true);
            } else {
                decided = plain;
            }
            if (pending.size() > 0) {
                pending.writeTo(decided);
            }
            pending = null;
        }
    }
}
