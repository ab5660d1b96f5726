package dev.loomshowcase.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a raw loopback socket, for requests the JDK's HttpClient would never send (bad
 * framing, stalled bodies, bytes that are not HTTP, a {@code Host} of the test's choosing): write
 * the bytes, then read until the server closes or a wait passes, and never block longer than that
 * wait.
 */
public final class RawHttp {

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");

    private RawHttp() {
    }

    /** Everything read back on one connection, and whether the server closed it. */
    public record Answer(String text, boolean closed) {

        public long statusLines() {
            return STATUS_LINE.matcher(text).results().count();
        }

        /** The first answer's status, 0 if nothing came back. */
        public int status() {
            Matcher m = STATUS_LINE.matcher(text);
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        }

        /** The status line and headers, as sent. */
        public String head() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? text : text.substring(0, end);
        }

        /** A header of the first answer (the name compared case-insensitively), or null. */
        public String header(String name) {
            for (String line : head().split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }

        /** What followed the head, one char per byte (ISO-8859-1), so that chunk sizes count bytes. */
        public String body() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }
    }

    /**
     * Sends {@code request} and reads the whole answer; the request should say
     * {@code Connection: close}, and a server that has not closed within 10 s fails the test.
     */
    public static Answer exchange(int port, String request) {
        try {
            Answer answer = exchange(port, request, Duration.ofSeconds(10));
            if (!answer.closed()) {
                throw new AssertionError("127.0.0.1:" + port + " did not close within 10 s: " + answer.text());
            }
            return answer;
        } catch (IOException e) {
            throw new AssertionError("raw exchange with 127.0.0.1:" + port + " failed: " + e, e);
        }
    }

    /** A GET of {@code path} with the given {@code Host}, closing the connection after the answer. */
    public static Answer get(int port, String path, String host) {
        return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    public static Socket connect(int port) throws IOException {
        return new Socket("127.0.0.1", port);
    }

    /** Sends the request in one write, then reads until the server closes or {@code wait} passes. */
    public static Answer exchange(int port, String request, Duration wait) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), wait);
    }

    /** The same with bytes that need not be text (e.g. a TLS ClientHello). */
    public static Answer exchange(int port, byte[] request, Duration wait) throws IOException {
        try (Socket connection = connect(port)) {
            OutputStream out = connection.getOutputStream();
            out.write(request);
            out.flush();
            return readUntilClosed(connection, wait);
        }
    }

    public static void write(Socket connection, String request) throws IOException {
        OutputStream out = connection.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * Reads one answer with a {@code Content-Length}: returns as soon as its headers and body are
     * in, when the server closes, or when {@code wait} has passed; the connection stays usable.
     */
    public static Answer readAnswer(Socket connection, Duration wait) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        InputStream in = connection.getInputStream();
        byte[] buffer = new byte[8192];
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            String text = read.toString(StandardCharsets.ISO_8859_1);
            Answer answer = new Answer(text, false);
            String length = answer.header("content-length");
            if (length != null && answer.body().length() >= Integer.parseInt(length)) {
                return answer;
            }
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return answer;
            }
            connection.setSoTimeout((int) leftMs);
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                return answer;
            } catch (SocketException e) {
                return new Answer(text, true);
            }
            if (n == -1) {
                return new Answer(text, true);
            }
            read.write(buffer, 0, n);
        }
    }

    /** Reads until end of stream (closed) or until {@code wait} has passed (still open); never blocks longer. */
    public static Answer readUntilClosed(Socket connection, Duration wait) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        InputStream in = connection.getInputStream();
        byte[] buffer = new byte[8192];
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return new Answer(read.toString(StandardCharsets.ISO_8859_1), false);
            }
            connection.setSoTimeout((int) leftMs);
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                return new Answer(read.toString(StandardCharsets.ISO_8859_1), false);
            } catch (SocketException e) {
                // A reset (the server closed with input unread) ends the connection as surely as end of stream.
                return new Answer(read.toString(StandardCharsets.ISO_8859_1), true);
            }
            if (n == -1) {
                return new Answer(read.toString(StandardCharsets.ISO_8859_1), true);
            }
            read.write(buffer, 0, n);
        }
    }
}
