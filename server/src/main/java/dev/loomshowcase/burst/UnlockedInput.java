package dev.loomshowcase.burst;

import java.io.IOException;
import java.io.InputStream;

/**
 * The socket's bytes through a buffer of this connection's own. {@code BufferedInputStream}
 * takes a lock on every {@code read()}, and the headers are read a byte at a time: at tens of
 * thousands of answers a second that lock was a large part of the client's CPU.
 */
final class UnlockedInput extends InputStream {
    private final InputStream socket;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    UnlockedInput(InputStream socket) {
        this.socket = socket;
    }

    private boolean fill() throws IOException {
        int n = socket.read(buffer, 0, buffer.length);
        position = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == limit && !fill()) {
            return -1;
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, into, offset, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        if (position == limit && !fill()) {
            return 0;
        }
        int skipped = (int) Math.min(n, limit - position);
        position += skipped;
        return skipped;
    }
}
