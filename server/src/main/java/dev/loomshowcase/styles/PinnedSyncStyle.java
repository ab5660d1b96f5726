package dev.loomshowcase.styles;

import java.util.concurrent.Callable;

/**
 * Runs the work on the request's virtual thread, inside a {@code synchronized} block. The monitor
 * is new for every request, so no request ever waits for another's lock: any slowdown you see is
 * pinning alone. On a default JDK 25 it does not pin (JEP 491) and runs like {@code virtual};
 * with {@code -XX:+UnlockDiagnosticVMOptions -XX:LockingMode=1} (or on JDK 21) the blocked
 * virtual thread keeps its carrier, and a few such requests starve the server. JDK 26 and 27
 * cannot bring the pin back: the answer says what this JVM does and what JDK 21, 26 and 27 would.
 * FastAPI has no such trap; the nearest is a {@code threading.Lock} held across a blocking call
 * in a {@code def} handler, which holds one of Starlette's pool threads the same way.
 */
public final class PinnedSyncStyle implements Style {

    /** Read once: the JVM's flags do not change while it runs, and the MXBean lookup is not free. */
    private static final int LOCKING_MODE = SynchronizedPinning.lockingMode();
    private static final boolean PINS = SynchronizedPinning.pins(Runtime.version().feature(), LOCKING_MODE);

    @Override
    public String description() {
        return "the work inside synchronized on the virtual thread: pins only with legacy locking or before JDK 24"
                + " (this JVM: " + (PINS ? "pins" : "does not pin") + ")";
    }

    @Override
    public <T> Answer<T> run(Callable<T> work) throws Exception {
        Object monitor = new Object();
        synchronized (monitor) {
            return PinningByJdk.SYNCHRONIZED.noted(Answer.onCurrentThread(work.call())
                    .withNote("synchronizedPins", PINS)
                    .withNote("lockingMode", LOCKING_MODE));
        }
    }
}
