package dev.loomshowcase.burst;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.util.Locale;

/**
 * One HTTP/1.1 connection on a plain socket: a GET written as bytes, the answer read exactly as
 * its headers frame it. A hand-written client rather than {@code java.net.http.HttpClient} so
 * that what is measured is the server: no client-side pool, queue or limit on connections per
 * host stands between a request and the socket, and the moment a socket is opened is ours.
 *
 * <p>The body is read by {@code Content-Length} or chunked framing, never "until EOF": Helidon
 * 4.1.7 sends {@code Connection: close} yet keeps the socket open until the client closes it, so
 * waiting for EOF would wait for the read timeout.
 */
public final class Connection implements AutoCloseable {

    /** Bodies kept for the caller (the small JSON of {@code /observe/...}); longer ones are refused. */
    public static final int MAX_KEPT_BODY = 1 << 20;

    /**
     * One answer.
     *
     * @param status    the HTTP status code
     * @param body      the body when asked for, else empty
     * @param keepAlive whether the connection may carry another request
     */
    public record Response(int status, byte[] body, boolean keepAlive) {
    }

    private final Socket socket;
    private final UnlockedInput in;
    private final OutputStream out;
    private int answered;
    private boolean readAnything;

    private Connection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new UnlockedInput(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens a connection; the socket is closed again if the connect fails. */
    public static Connection open(InetSocketAddress address, int timeoutMs) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, Math.max(1, timeoutMs));
            return new Connection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** How long a read may block; at least 1 ms, since 0 would mean "forever". */
    public void timeout(int ms) throws IOException {
        socket.setSoTimeout(Math.max(1, ms));
    }

    /** Whether this connection has carried an answer before (it may have gone stale while idle). */
    public boolean reused() {
        return answered > 0;
    }

    /** Whether the last exchange read any byte of an answer: if not, a reused connection was stale. */
    public boolean readAnything() {
        return readAnything;
    }

    /** Writes one request. */
    public void send(byte[] request) throws IOException {
        readAnything = false;
        out.write(request);
        out.flush();
    }

    /**
     * Reads the whole answer to the request just sent.
     *
     * @param keepBody whether to return the body (bounded by {@link #MAX_KEPT_BODY}) or skip it
     */
    public Response receive(boolean keepBody) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("the server closed the connection without answering");
        }
        readAnything = true;
        String statusLine = (char) first + readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !threeDigits(parts[1])) {
            throw new ProtocolException("not an HTTP/1.x status line: " + shorten(statusLine));
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = parts[0].equals("HTTP/1.0");
        for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
            // Only three headers matter; the others are skipped without a lower-case copy.
            if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Long.parseLong(header.substring(15).strip());
            } else if (header.regionMatches(true, 0, "transfer-encoding:", 0, 18)) {
                chunked = header.toLowerCase(Locale.ROOT).contains("chunked");
            } else if (header.regionMatches(true, 0, "connection:", 0, 11)) {
                String lower = header.toLowerCase(Locale.ROOT);
                close = lower.contains("close") || (parts[0].equals("HTTP/1.0") && !lower.contains("keep-alive"));
            }
        }
        ByteArrayOutputStream kept = keepBody ? new ByteArrayOutputStream() : null;
        if (chunked) {
            for (long size = chunkSize(readLine(in)); size > 0; size = chunkSize(readLine(in))) {
                body(in, size, kept);
                readLine(in); // the CRLF after each chunk
            }
            while (!readLine(in).isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            body(in, length, kept);
        } else if (status / 100 != 1 && status != 204 && status != 304) {
            // Unframed: the body ends at EOF, and the connection with it.
            body(in, Long.MAX_VALUE, kept);
            close = true;
        }
        answered++;
        return new Response(status, kept == null ? new byte[0] : kept.toByteArray(), !close);
    }

    /** A status code's shape, checked by hand: String.matches compiles its regex on every call, per answer. */
    private static boolean threeDigits(String code) {
        return code.length() == 3 && code.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static long chunkSize(String line) throws IOException {
        try {
            return Long.parseLong(line.split(";", 2)[0].strip(), 16);
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad chunk size: " + shorten(line));
        }
    }

    /** Skips (or keeps) {@code length} bytes; {@code Long.MAX_VALUE} reads to EOF. */
    private static void body(InputStream in, long length, ByteArrayOutputStream kept) throws IOException {
        if (kept == null) {
            if (length == Long.MAX_VALUE) {
                in.transferTo(OutputStream.nullOutputStream());
            } else {
                in.skipNBytes(length); // EOFException when the body is cut short
            }
            return;
        }
        byte[] buffer = new byte[8192];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                if (length == Long.MAX_VALUE) {
                    return;
                }
                throw new EOFException("body cut short");
            }
            if (kept.size() + n > MAX_KEPT_BODY) {
                throw new ProtocolException("body longer than " + MAX_KEPT_BODY + " bytes");
            }
            kept.write(buffer, 0, n);
            left -= n;
        }
    }

    /** One line up to LF, without CR; what was read so far at EOF. Lines are bounded. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (line.length() >= 16_384) {
                throw new ProtocolException("header line longer than 16 KiB");
            }
            line.append((char) b);
        }
        return line.toString().strip();
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
    }
}
