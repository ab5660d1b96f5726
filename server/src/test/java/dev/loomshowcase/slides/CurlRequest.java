package dev.loomshowcase.slides;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.loomshowcase.support.ShowcaseClient;

/**
 * A {@code curl} command of the deck, read as curl reads it, and sent to a test server instead
 * of {@code localhost:8080} (the upstream mock: {@code :8081}). Only the options a workshop
 * uses are understood; any other fails the test rather than being silently ignored.
 *
 * @param method         {@code -X}, else POST when there is a body, else GET
 * @param url            as printed on the slide
 * @param headers        {@code -H} values, "Name: value"
 * @param body           {@code -d} / {@code --data-binary}, or null
 * @param prints         false when the body goes to {@code -o /dev/null}: nothing to observe
 * @param includeHeaders {@code -i}: the status line and headers are printed too
 * @param writeOut       {@code -w} format, or null
 */
record CurlRequest(String method, String url, List<String> headers, String body, boolean prints,
                   boolean includeHeaders, String writeOut) {

    private static final String MAIN = "http://localhost:8080";
    private static final String UPSTREAM = "http://localhost:8081";

    /** The words after {@code curl}. */
    static CurlRequest parse(List<String> args) {
        String method = null;
        String url = null;
        List<String> headers = new ArrayList<>();
        String body = null;
        boolean prints = true;
        boolean include = false;
        String writeOut = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "-s", "-S", "-sS", "--silent", "-N", "--no-buffer", "--compressed" -> { }
                case "-i", "--include" -> include = true;
                case "-X", "--request" -> method = args.get(++i);
                case "-H", "--header" -> headers.add(args.get(++i));
                case "-d", "--data", "--data-binary" -> {
                    body = args.get(++i);
                    if (body.startsWith("@")) {
                        throw new IllegalArgumentException("a body read from a file (" + body + ") cannot be sent by the test");
                    }
                }
                case "-o", "--output" -> prints = !args.get(++i).equals("/dev/null") && prints;
                case "-w", "--write-out" -> writeOut = args.get(++i);
                default -> {
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("curl option " + arg + " is not one the deck test knows");
                    }
                    if (url != null) {
                        throw new IllegalArgumentException("two URLs: " + url + " and " + arg);
                    }
                    url = arg;
                }
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("no URL in curl " + String.join(" ", args));
        }
        if (!url.startsWith(MAIN + "/") && !url.startsWith(UPSTREAM + "/")) {
            throw new IllegalArgumentException("exercises call " + MAIN + " (or the mock on :8081), not " + url);
        }
        return new CurlRequest(method != null ? method : body != null ? "POST" : "GET", url, List.copyOf(headers),
                body, prints, include, writeOut);
    }

    /** The same request, addressed to the given server. */
    HttpRequest.Builder toRequest(ShowcaseClient server) {
        URI target = url.startsWith(MAIN) ? server.uri(url.substring(MAIN.length()))
                : server.upstreamUri(url.substring(UPSTREAM.length()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean contentType = false;
        for (String header : headers) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).strip();
            request.header(name, header.substring(colon + 1).strip());
            contentType |= name.equalsIgnoreCase("content-type");
        }
        if (body != null && !contentType) {
            // What curl sends with -d when no Content-Type is given: the server refuses it (415), so the deck must say.
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        return request;
    }

    /** Identifies the request, so an exercise that fires the same one many times sends it once. */
    Map.Entry<String, String> key() {
        return Map.entry(method + " " + url, headers + " " + body);
    }
}
