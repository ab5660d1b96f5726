package dev.loomshowcase.styles;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

/**
 * Whether this JVM pins a virtual thread that blocks inside {@code synchronized}, read from the
 * JVM itself rather than guessed. Before JDK 24 it always did. JDK 24 (JEP 491) lets a virtual
 * thread unmount while holding a monitor, but only with the default lightweight locking
 * ({@code LockingMode=2}); the deprecated legacy locking ({@code -XX:LockingMode=1}) still
 * pins, which is how the showcase reproduces JDK 21 behaviour on JDK 25. JDK 26 cannot set the
 * flag any more and JDK 27 has expired it, so there {@code synchronized} never pins.
 */
public final class SynchronizedPinning {

    private static final int LIGHTWEIGHT_LOCKING = 2;

    private SynchronizedPinning() {
    }

    /** The answer for the running JVM. */
    public static boolean pins() {
        return pins(Runtime.version().feature(), lockingMode());
    }

    /**
     * @param feature     the JDK feature version (21, 25, ...)
     * @param lockingMode the value of {@code -XX:LockingMode}, or -1 where the JVM has no such flag
     */
    static boolean pins(int feature, int lockingMode) {
        if (feature < 24) {
            return true;
        }
        if (feature >= 26) {
            return false; // JDK 26 can no longer set LockingMode, and JDK 27 has expired it: lightweight locking only
        }
        // JDK 24 and 25: only lightweight locking unmounts; where the flag is gone, it is the only mode.
        return lockingMode != -1 && lockingMode != LIGHTWEIGHT_LOCKING;
    }

    /** The JVM's {@code LockingMode} flag, or -1 when this JVM has none. */
    public static int lockingMode() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption option = hotspot.getVMOption("LockingMode");
            return Integer.parseInt(option.getValue());
        } catch (IllegalArgumentException | NullPointerException e) {
            return -1;
        }
    }
}
