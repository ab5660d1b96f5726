package dev.loomshowcase.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.WritableHeaders;
import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;
import io.helidon.webserver.http.Filter;

/**
 * gzip through Helidon's content-encoding SPI, with the JDK's {@link GZIPOutputStream}.
 * Helidon calls this encoder only for clients that accept gzip ({@link AcceptEncoding} reads the
 * header), never for an answer that already has a {@code Content-Encoding}, and frames what it
 * writes. What Helidon does not decide, this encoder does, when the first bytes are written
 * (the JSON writer sets its {@code Content-Type} only then):
 * <ul>
 *     <li>only JSON (also problem+json), NDJSON and CSV are compressed; HTML, scripts, server-sent
 *     events and octets stay plain;</li>
 *     <li>bodies under {@value #MIN_BYTES} bytes stay plain: gzip's frame and the CPU buy nothing on
 *     a short problem+json. A stream that flushes before that is compressed at once, since a flush
 *     means "the client should see this now", and each flush is a gzip sync flush;</li>
 *     <li>an answer whose handler fixed a {@code Content-Length} stays plain: Helidon has framed
 *     it by that length before the encoder decides; so does one whose handler set a
 *     {@code Content-Encoding} after opening the stream, past Helidon's check;</li>
 *     <li>every answer it weighs (the client accepts gzip, the type is compressible) says
 *     {@code Vary: Accept-Encoding}, gzipped or not.</li>
 * </ul>
 * Helidon picks the encoder from the request alone, and shows it the response's headers apart
 * from the stream (after encoding, for a whole body), so the {@link #rules()} filter lends the
 * encoder the response's headers for the length of the request (a {@link ScopedValue}: the
 * handler writes on the virtual thread the filter runs on). Where that filter is not installed
 * (the upstream mock's socket), answers stay plain.
 * <p>
 * Request bodies are not decoded ({@link #supportsDecoding()} is false): a request with a
 * {@code Content-Encoding} is refused with 400 as before, so {@code POST /upload} hashes the
 * bytes the client sent, and the limit counts them.
 */
public final class GzipEncoding implements ContentEncoding {

    /** Bodies shorter than this are sent plain. */
    public static final int MIN_BYTES = 1024;

    private static final ScopedValue<ServerResponseHeaders> RESPONSE = ScopedValue.newInstance();
    private static final String ACCEPT_ENCODING = "Accept-Encoding";

    /** The filter that lets this encoder see the answer it encodes; one per socket that gzips. */
    public static Filter rules() {
        return (chain, req, res) -> ScopedValue.where(RESPONSE, res.headers()).run(chain::proceed);
    }

    @Override
    public Set<String> ids() {
        return Set.of("gzip", "x-gzip");
    }

    @Override
    public boolean supportsEncoding() {
        return true;
    }

    @Override
    public boolean supportsDecoding() {
        return false;
    }

    @Override
    public ContentDecoder decoder() {
        throw new UnsupportedOperationException("gzip request bodies are not decoded");
    }

    @Override
    public ContentEncoder encoder() {
        return new ContentEncoder() {
            @Override
            public OutputStream apply(OutputStream network) {
                return RESPONSE.isBound() ? new GzipWhenWorthIt(network, RESPONSE.get()) : network;
            }

            @Override
            public void headers(WritableHeaders<?> headers) {
                // GzipWhenWorthIt sets Content-Encoding itself, once it knows the answer is compressed.
            }
        };
    }

    @Override
    public String name() {
        return "gzip";
    }

    @Override
    public String type() {
        return "gzip";
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

        private final OutputStream network;
        private final ServerResponseHeaders headers;
        private ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private OutputStream decided;
        private boolean closed;

        private GzipWhenWorthIt(OutputStream network, ServerResponseHeaders headers) {
            this.network = network;
            this.headers = headers;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (decided == null) {
                if (!compressible()) {
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
                decide(compressible());
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

        /**
         * Whether the answer may be compressed, judged from its headers as they are now. Helidon
         * checked Content-Encoding when the stream was opened; a handler may set one after that.
         */
        private boolean compressible() {
            return headers.contentType().map(GzipEncoding::compressible).orElse(false)
                    && !headers.contains(HeaderNames.CONTENT_ENCODING)
                    && !headers.contains(HeaderNames.CONTENT_LENGTH);
        }

        private void decide(boolean gzip) throws IOException {
            // Nothing has reached Helidon's stream yet, so the headers can still change.
            if (compressible() && headers.all(HeaderNames.VARY, List::of).stream()
                    .flatMap(value -> List.of(value.split(",")).stream())
                    .noneMatch(name -> name.strip().equalsIgnoreCase(ACCEPT_ENCODING))) {
                headers.add(HeaderNames.VARY, ACCEPT_ENCODING);
            }
            if (gzip) {
                headers.set(HeaderNames.CONTENT_ENCODING, "gzip");
                // Deflate runs on a compressing thread, not on this request's carrier (OffCarrierOutputStream).
                decided = new OffCarrierOutputStream(new GZIPOutputStream(network, 8 * 1024, true));
            } else {
                decided = network;
            }
            if (pending.size() > 0) {
                pending.writeTo(decided);
            }
            pending = null;
        }
    }
}
