package dev.loomshowcase.web;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/**
 * Work stops when nobody waits for it. While a request's work runs, this watches its connection;
 * when the client hangs up, the request's thread is interrupted: a sleep or a wait ends at once, a
 * structured fan-out cancels its calls, a CPU loop stops at its next check. FastAPI (Starlette)
 * cancels an {@code async def} handler's task when the client disconnects; a {@code def} handler
 * runs on.
 *
 * <p>Hand-written: Helidon 4.5 tells a handler nothing when its client hangs up (the handler runs
 * on the connection's own thread, which is busy running it). So one platform thread (a pinned or
 * looping request may hold every carrier) reads the kernel's TCP table a few times a second:
 * a connection whose peer has closed is in CLOSE_WAIT, or, reset, gone. Linux only; elsewhere
 * nothing is ever stopped. A client that only half-closes its side counts as gone.
 */
public final class ClientWatch {

    private static final Logger LOGGER = Logger.getLogger(ClientWatch.class.getName());
    private static final long PERIOD_MS = 200;
    /** What a stopped request is answered, for the record: nobody reads it (nginx's code for it). */
    private static final Status CLIENT_CLOSED = Status.create(499, "Client Closed Request");

    /** One request being watched: its connection's two ports and the thread running its work. */
    private static final class Watched {
        final TcpTable.Ports ports;
        final Thread thread;
        final ReentrantLock lock = new ReentrantLock();
        boolean active = true;
        boolean stopped;
        /** Polls in a row that did not find the connection (read by the polling thread only). */
        int misses;

        Watched(TcpTable.Ports ports, Thread thread) {
            this.ports = ports;
            this.thread = thread;
        }
    }

    private final Map<Thread, Watched> watched = new ConcurrentHashMap<>();
    private final AtomicLong stopped = new AtomicLong();
    private final ReentrantLock pollerLock = new ReentrantLock();
    private final ScheduledThreadPoolExecutor poller = idlePoller();
    /** The next poll, or null while nothing is watched (guarded by pollerLock). */
    private ScheduledFuture<?> polling;

    /**
     * Runs the work on this thread while the client waits for it.
     *
     * @throws Problem 499 when the client hung up and the work stopped
     */
    public <T> T whileClientWaits(ServerRequest req, Callable<T> work) throws Exception {
        Watched entry = new Watched(new TcpTable.Ports(req.localPeer().port(), req.remotePeer().port()),
                Thread.currentThread());
        watched.put(entry.thread, entry);
        startPolling();
        try {
            return work.call();
        } catch (Exception e) {
            if (stoppedBefore(entry)) {
                throw Problem.of(CLIENT_CLOSED, CLIENT_CLOSED.reasonPhrase(),
                        "The client hung up; its work was stopped.");
            }
            throw e;
        } finally {
            watched.remove(entry.thread);
            entry.lock.lock();
            try {
                entry.active = false;
                if (entry.stopped) {
                    // The interrupt was for the work, which is over: the thread serves its connection on.
                    Thread.interrupted();
                }
            } finally {
                entry.lock.unlock();
            }
        }
    }

    /** How many requests' work was stopped because their clients hung up. */
    public long stopped() {
        return stopped.get();
    }

    private static boolean stoppedBefore(Watched entry) {
        entry.lock.lock();
        try {
            return entry.stopped;
        } finally {
            entry.lock.unlock();
        }
    }

    private void startPolling() {
        pollerLock.lock();
        try {
            if (polling == null) {
                polling = poller.schedule(this::poll, PERIOD_MS, TimeUnit.MILLISECONDS);
            }
        } finally {
            pollerLock.unlock();
        }
    }

    /** One platform thread, ended after a second with nothing to watch. */
    private static ScheduledThreadPoolExecutor idlePoller() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("client-watch").factory());
        executor.setKeepAliveTime(1, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private void poll() {
        pollerLock.lock();
        try {
            if (watched.isEmpty()) {
                // Nothing to watch: stop polling (the thread ends), until the next request starts it again.
                polling = null;
                return;
            }
        } finally {
            pollerLock.unlock();
        }
        long began = System.nanoTime();
        Set<Integer> localPorts = new HashSet<>();
        for (Watched entry : watched.values()) {
            localPorts.add(entry.ports.local());
        }
        Map<TcpTable.Ports, String> states = TcpTable.read(localPorts::contains);
        if (!states.isEmpty()) {
            for (Watched entry : watched.values()) {
                String state = states.get(entry.ports);
                // Gone from the table (a client that closed with unread bytes resets the connection) counts
                // only when missed by two reads in a row: the kernel lists a changing table without a
                // snapshot and can skip a live entry once (a load generator's request was answered 499 so).
                entry.misses = state == null ? entry.misses + 1 : 0;
                if (TcpTable.CLOSE_WAIT.equals(state) || entry.misses >= 2) {
                    stop(entry);
                }
            }
        }
        // The next read waits at least four times as long as this one took: listing a table of
        // 35,000 sockets (a burst of 10,000 and the last minute's TIME_WAITs) takes the kernel about
        // 40 ms, and the watch is to take a small share of a core, not one of the two.
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        pollerLock.lock();
        try {
            polling = poller.schedule(this::poll, Math.max(PERIOD_MS, 4 * tookMs), TimeUnit.MILLISECONDS);
        } finally {
            pollerLock.unlock();
        }
    }

    private void stop(Watched entry) {
        entry.lock.lock();
        try {
            if (entry.active && !entry.stopped) {
                entry.stopped = true;
                stopped.incrementAndGet();
                entry.thread.interrupt();
                LOGGER.info("A client hung up: its request's work was stopped (" + stopped.get() + " so far).");
            }
        } finally {
            entry.lock.unlock();
        }
    }
}
