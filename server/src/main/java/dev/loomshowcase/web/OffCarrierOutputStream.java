package dev.loomshowcase.web;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the work of a CPU-heavy stream (gzip's deflate) on a few platform threads instead of the
 * request's carrier. Writes are gathered here, on the request's virtual thread (a copy, cheap);
 * every {@value #CHUNK} bytes, and on flush and close, the wrapped stream gets them on a
 * compressing thread while the virtual thread waits, parked: its carrier serves other requests
 * meanwhile. Without it, two gzipped million-line streams held both carriers, and {@code /whoami}
 * waited seconds, like beside two {@code /cpu/virtual} loops.
 */
final class OffCarrierOutputStream extends OutputStream {

    private static final int CHUNK = 64 * 1024;
    /** One thread per core: deflate is CPU work, more threads would only share the same cores. */
    private static final ExecutorService COMPRESSORS = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), Thread.ofPlatform().daemon().name("gzip-", 0).factory());

    private final OutputStream target;
    private final byte[] buffer = new byte[CHUNK];
    private int size;

    OffCarrierOutputStream(OutputStream target) {
        this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, CHUNK - size);
            System.arraycopy(b, off, buffer, size, n);
            size += n;
            off += n;
            len -= n;
            if (size == CHUNK) {
                handOver(false, false);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        handOver(true, false);
    }

    @Override
    public void close() throws IOException {
        handOver(true, true);
    }

    /** The gathered bytes, then a flush or a close if asked, on a compressing thread; waits for it. */
    private void handOver(boolean flush, boolean close) throws IOException {
        int length = size;
        size = 0;
        // The buffer is reused at once: this method returns only once the step has ended.
        Future<?> done = COMPRESSORS.submit(() -> {
            try {
                if (length > 0) {
                    target.write(buffer, 0, length);
                }
                if (close) {
                    target.close();
                } else if (flush) {
                    target.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get();
                    break;
                } catch (InterruptedException e) {
                    // The stream is one writer's: wait for this step to end before the caller goes on.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (interrupted) {
            throw new InterruptedIOException("interrupted while the stream was being written");
        }
    }
}
