package dev.loomshowcase.styles;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Callable;

/**
 * Runs the work on the request's virtual thread while a native frame is on its stack: an FFM
 * downcall to the C library's {@code qsort}, whose comparator is a Java upcall that does the
 * blocking work. A virtual thread cannot unmount across a native frame, so it pins its carrier
 * on every JDK (JFR: "Native or VM frame on stack"). This is what a JNI/FFM library calling back
 * into Java, or a driver blocking in native code, does to a virtual-thread server: the Java
 * twin of a FastAPI {@code async def} calling a C extension that blocks without releasing the loop.
 */
public final class PinnedNativeStyle implements Style {

    /** The work of the current call, visible to the comparator that runs inside {@code qsort}. */
    private static final ScopedValue<KeptOutcome<?>> CURRENT = ScopedValue.newInstance();

    private static final MethodHandle QSORT;
    private static final MemorySegment COMPARATOR;

    static {
        Linker linker = Linker.nativeLinker();
        // void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))
        QSORT = linker.downcallHandle(
                linker.defaultLookup().find("qsort").orElseThrow(() -> new IllegalStateException("no qsort in libc")),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS));
        try {
            MethodHandle compare = MethodHandles.lookup().findStatic(PinnedNativeStyle.class, "compare",
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
            COMPARATOR = linker.upcallStub(compare,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                    Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public String description() {
        return "the work inside a native qsort comparator upcall (FFM): pins the carrier on every JDK";
    }

    @Override
    public <T> Answer<T> run(Callable<T> work) throws Exception {
        KeptOutcome<T> call = new KeptOutcome<>(work);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment two = arena.allocateFrom(ValueLayout.JAVA_INT, 2, 1);
            ScopedValue.where(CURRENT, call).run(() -> sort(two));
        }
        return PinningByJdk.NATIVE_UPCALL.noted(Answer.onCurrentThread(call.get()));
    }

    private static void sort(MemorySegment ints) {
        try {
            QSORT.invokeExact(ints, 2L, ValueLayout.JAVA_INT.byteSize(), COMPARATOR);
        } catch (Throwable e) {
            throw new IllegalStateException("qsort failed", e);
        }
    }

    /**
     * The comparator qsort calls back, with qsort's native frame below it on the stack. The first
     * call runs the work (blocking here is what pins); it never lets an exception escape, since an
     * exception thrown out of an upcall ends the JVM.
     */
    private static int compare(MemorySegment left, MemorySegment right) {
        CURRENT.get().runOnce();
        return Integer.compare(left.reinterpret(4).get(ValueLayout.JAVA_INT, 0),
                right.reinterpret(4).get(ValueLayout.JAVA_INT, 0));
    }
}
