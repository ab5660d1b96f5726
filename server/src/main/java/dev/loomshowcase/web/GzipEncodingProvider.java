package dev.loomshowcase.web;

import io.helidon.config.Config;
import io.helidon.http.encoding.ContentEncoding;
import io.helidon.http.encoding.spi.ContentEncodingProvider;

/**
 * Hands Helidon {@link GzipEncoding}, found through {@code META-INF/services}: every socket's
 * content-encoding context then offers gzip (Helidon's own helidon-http-encoding-gzip is not
 * served for 4.2+ on the Maven mirror this project is built from).
 */
public final class GzipEncodingProvider implements ContentEncodingProvider {

    @Override
    public String configKey() {
        return "gzip";
    }

    @Override
    public ContentEncoding create(Config config, String name) {
        return new GzipEncoding();
    }
}
