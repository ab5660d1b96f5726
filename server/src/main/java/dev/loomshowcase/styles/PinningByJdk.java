package dev.loomshowcase.styles;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which JDK pins what: the causes of pinning the pinned styles exercise, and what each JDK does
 * with them (JEP 491, JDK-8369238, the fate of {@code -XX:LockingMode}). The showcase runs only
 * on JDK 25, so each pinned style's answer says what this JVM does and what JDK 21, 26 and 27
 * would do with the same code. The README's and the deck's "which JDK pins what" tables say the
 * same; keep the three in step.
 */
public enum PinningByJdk {

    /** Blocking inside {@code synchronized}: {@code pinned-sync}. */
    SYNCHRONIZED("pins on JDK 21-23; JEP 491 (JDK 24) lets the thread unmount inside synchronized;"
            + " -XX:+UnlockDiagnosticVMOptions -XX:LockingMode=1 brings the pin back on JDK 24 and 25 only:"
            + " JDK 26 cannot set the flag, and on JDK 27 it is expired"),
    /** Waiting for another thread's class initialiser. */
    WAITING_FOR_CLASS_INIT("pins up to JDK 25; from JDK 26 a thread waiting for another thread's class"
            + " initialiser no longer pins (JDK-8369238)"),
    /** Blocking in a class initialiser, on the thread running it: {@code pinned-clinit}. */
    RUNNING_CLINIT("the thread running a blocking class initialiser pins on every JDK (a VM frame is on its stack);"
            + " from JDK 26 the threads waiting for it no longer do (JDK-8369238)"),
    /** Blocking in an FFM or JNI upcall, with a native frame on the stack: {@code pinned-native}. */
    NATIVE_UPCALL("a native frame on the stack pins on every JDK: a virtual thread cannot unmount across it");

    /** The JDKs each answer names besides this one: the LTS before JEP 491, and the two after 25. */
    public static final List<Integer> OTHER_JDKS = List.of(21, 26, 27);

    /** This JVM's, read once: the flags do not change while it runs, and the MXBean lookup is not free. */
    private static final int THIS_FEATURE = Runtime.version().feature();
    private static final int THIS_LOCKING_MODE = SynchronizedPinning.lockingMode();

    private final String why;

    PinningByJdk(String why) {
        this.why = why;
    }

    /**
     * Whether a virtual thread blocking this way pins its carrier.
     *
     * @param feature     the JDK feature version (21, 25, ...)
     * @param lockingMode the JVM's {@code -XX:LockingMode}, or -1 where it has none (or the default is meant)
     */
    public boolean pins(int feature, int lockingMode) {
        return switch (this) {
            case SYNCHRONIZED -> SynchronizedPinning.pins(feature, lockingMode);
            case WAITING_FOR_CLASS_INIT -> feature < 26;
            case RUNNING_CLINIT, NATIVE_UPCALL -> true;
        };
    }

    /** {@code "pins"} or {@code "does not pin"}, for this JDK and locking mode. */
    public String answer(int feature, int lockingMode) {
        return pins(feature, lockingMode) ? "pins" : "does not pin";
    }

    /** What JDK 21, 26 and 27 do, each with its default flags. */
    public Map<String, String> onOtherJdks() {
        Map<String, String> answers = new LinkedHashMap<>();
        OTHER_JDKS.forEach(jdk -> answers.put(String.valueOf(jdk), answer(jdk, -1)));
        return answers;
    }

    /** One sentence: why the answers differ (or do not) from one JDK to the next. */
    public String why() {
        return why;
    }

    /**
     * The style's answer with this JDK's feature version ({@code thisJdk}), what this JVM does ({@code thisJvm}), what JDK 21, 26 and 27 would do
     * ({@code onOtherJdks}) and why ({@code pinningByJdk}).
     */
    public <T> Answer<T> noted(Answer<T> answer) {
        return answer.withNote("thisJdk", THIS_FEATURE)
                .withNote("thisJvm", answer(THIS_FEATURE, THIS_LOCKING_MODE))
                .withNote("onOtherJdks", onOtherJdks())
                .withNote("pinningByJdk", why);
    }
}
