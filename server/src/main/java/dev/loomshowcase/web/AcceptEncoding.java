package dev.loomshowcase.web;

import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.http.encoding.ContentEncodingContextConfig;

/**
 * The server's content encodings as Helidon discovers them ({@link GzipEncodingProvider} through
 * {@code META-INF/services}), with one change: which encoder an {@code Accept-Encoding} asks for.
 * Helidon 4.5.0 reads that header in a way we cannot ship: it sends gzip to a client that said
 * {@code gzip;q=0}, does not see {@code GZIP} as gzip, and a q-value that is not a number
 * ({@code gzip;q=x}) throws on every answer with a body, so any client can turn any route into
 * a 500 and a logged stack trace.
 */
public final class AcceptEncoding implements ContentEncodingContext {

    private final ContentEncodingContext discovered;

    private AcceptEncoding(ContentEncodingContext discovered) {
        this.discovered = discovered;
    }

    /** Helidon's discovered encodings, chosen by {@link #acceptsGzip} instead of Helidon's reading. */
    public static AcceptEncoding create() {
        return new AcceptEncoding(ContentEncodingContext.create());
    }

    @Override
    public ContentEncoder encoder(Headers requestHeaders) {
        return discovered.contentEncodingSupported("gzip")
                && acceptsGzip(requestHeaders.all(HeaderNames.ACCEPT_ENCODING, List::of))
                ? discovered.encoder("gzip")
                : ContentEncoder.NO_OP;
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

    // Everything else is Helidon's.

    @Override
    public boolean contentEncodingEnabled() {
        return discovered.contentEncodingEnabled();
    }

    @Override
    public boolean contentDecodingEnabled() {
        return discovered.contentDecodingEnabled();
    }

    @Override
    public boolean contentEncodingSupported(String encodingId) {
        return discovered.contentEncodingSupported(encodingId);
    }

    @Override
    public boolean contentDecodingSupported(String encodingId) {
        return discovered.contentDecodingSupported(encodingId);
    }

    @Override
    public ContentEncoder encoder(String encodingId) throws NoSuchElementException {
        return discovered.encoder(encodingId);
    }

    @Override
    public ContentDecoder decoder(String encodingId) throws NoSuchElementException {
        return discovered.decoder(encodingId);
    }

    @Override
    public ContentEncodingContextConfig prototype() {
        return discovered.prototype();
    }
}
