package dev.loomshowcase.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One request written byte for byte to a socket on loopback, for what the JDK's HttpClient will not
 * send (a {@code Host} of the test's choosing), and the answer read until the server closes. The
 * request should say {@code Connection: close}; a read that stalls fails after 10 s.
 */
public final class RawHttp {

    /** The status, the head (status line and headers, as sent) and the body of an answer. */
    public record Answer(int status, String head, String body) {

        /** A header's value (the name compared case-insensitively), or null. */
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} (head and body, ISO-8859-1) to {@code port} and reads the whole answer. */
    public static Answer exchange(int port, String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            String head = end < 0 ? answer : answer.substring(0, end);
            String body = end < 0 ? "" : answer.substring(end + 4);
            int status = head.startsWith("HTTP/1.1 ") && head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
            return new Answer(status, head, body);
        } catch (IOException e) {
            throw new AssertionError("raw exchange with 127.0.0.1:" + port + " failed: " + e, e);
        }
    }

    /** A GET of {@code path} with the given {@code Host}, closing the connection after the answer. */
    public static Answer get(int port, String path, String host) {
        return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }
}
