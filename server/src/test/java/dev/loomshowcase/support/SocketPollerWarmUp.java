package dev.loomshowcase.support;

import dev.loomshowcase.burst.Burst;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the JDK's socket poller once per test JVM, before any test class runs. The JDK starts it
 * on the first blocking socket read of a virtual thread, and on JDK 25 its sub-poller thread waits
 * for that start pinned (tens of milliseconds on a loaded machine): the pinning detection of
 * whichever class came first would count it. Each module's tests run in a JVM of their own
 * (server/, loadgen/), and the JUnit launcher finds this through META-INF/services in both.
 */
public final class SocketPollerWarmUp implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Burst.startPoller();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // restored: the tests will see it
        }
    }
}
