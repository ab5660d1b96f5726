package dev.loomshowcase.burst;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The requests of a run that have not ended yet: what a run waits for before it reports, and
 * what it abandons at its deadline. A request enters before its thread starts and leaves when
 * its thread is done with it, after recording its result.
 */
public final class InFlight {

    private final Set<Exchange> exchanges = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition empty = lock.newCondition();

    /** A new request, counted as in flight until {@link #end(Exchange)}. */
    public Exchange start() {
        Exchange exchange = new Exchange();
        exchanges.add(exchange);
        return exchange;
    }

    public void end(Exchange exchange) {
        exchanges.remove(exchange);
        if (exchanges.isEmpty()) {
            lock.lock();
            try {
                empty.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Waits until no request is in flight, or until the deadline; true when none is left. */
    public boolean awaitEmpty(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (!exchanges.isEmpty()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // Bounded wait: also covers a signal sent between the check and the wait.
                empty.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Abandons every request still running; returns how many it abandoned. */
    public long abandonAll() {
        long abandoned = 0;
        for (Exchange exchange : exchanges) {
            if (exchange.abandon()) {
                abandoned++;
            }
        }
        return abandoned;
    }
}
