package dev.loomshowcase.db;

/**
 * The Java function behind H2's {@code SLEEP_MS(ms)} (created by the schema step as an H2
 * function alias): a query that takes {@code ms} inside the database, holding its connection
 * all the while, like a slow real query. It returns {@code System.nanoTime()} at the moment the
 * query began to run, so the caller can tell how long it waited for a connection first
 * (embedded H2 runs in this JVM, on the caller's thread, so the clocks agree).
 */
public final class SleepInDatabase {

    private SleepInDatabase() {
    }

    /** Called by H2 for {@code SELECT SLEEP_MS(?)}. */
    public static long sleepMs(long ms) throws InterruptedException {
        long started = System.nanoTime();
        Thread.sleep(ms);
        return started;
    }
}
