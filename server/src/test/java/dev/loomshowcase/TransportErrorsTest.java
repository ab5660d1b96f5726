package dev.loomshowcase;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.loomshowcase.support.RunningShowcase;
import dev.loomshowcase.support.RunsBesideOthers;
import dev.loomshowcase.support.ShowcaseSettings;

import io.helidon.webserver.testing.junit5.ServerTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Requests Helidon refuses before any route runs get problem+json too, never plain text or a
 * stack trace: a malformed request, oversized headers, a body over the payload limit. Sent over
 * raw sockets, since an HTTP client would refuse to send most of them.
 */
@ServerTest(pinningDetection = true)
@ShowcaseSettings("server.max-payload-size=1000")
@RunsBesideOthers
class TransportErrorsTest {

    private static RunningShowcase SHOWCASE;

    @BeforeAll
    static void setUp(RunningShowcase showcase) {
        SHOWCASE = showcase;
    }

    private static String exchange(byte[] request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", SHOWCASE.showcase().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"garbage", "huge-header", "body-over-limit", "bad-version"})
    void refusedBeforeRoutingIsProblemJson(String kind) throws Exception {
        byte[] request = switch (kind) {
            case "garbage" -> "GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            case "huge-header" -> ("GET /whoami HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            case "body-over-limit" -> ("POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 5000\r\nConnection: close\r\n\r\n" + "a".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
            default -> "GET /whoami HTTP/9.9\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        };
        String response = exchange(request);
        assertThat(response, startsWith("HTTP/1.1 4"));
        assertThat(response.toLowerCase(), containsString("content-type: application/problem+json"));
        assertThat(response, containsString("\"status\":4"));
        assertThat("no stack trace leaks", response, not(containsString("\tat ")));
        assertThat(response, not(containsString("Exception")));
    }
}
