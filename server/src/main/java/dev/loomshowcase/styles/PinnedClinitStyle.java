package dev.loomshowcase.styles;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;

/**
 * Runs the work inside a class's static initialiser ({@code <clinit>}): the third cause of
 * pinning that JDK 25 still has. The JVM runs initialisers with a VM frame on the stack, so a
 * virtual thread that blocks there keeps its carrier (and every other thread needing the class
 * waits for it; from JDK 26 those waiting threads no longer pin, JDK-8369238, but this one still
 * does). Usually this is a first-call-only hazard; here every request loads the class
 * afresh, through a throwaway class loader, so every request is a "first call". The FastAPI
 * cousin is blocking I/O at import time of a module first imported inside an {@code async def}.
 */
public final class PinnedClinitStyle implements Style {

    /** The work of the current call, visible to the initialiser. */
    private static final ScopedValue<KeptOutcome<?>> CURRENT = ScopedValue.newInstance();

    /**
     * The class whose initialiser runs the work. Each copy is defined by its own class loader,
     * so it sits in a runtime package of its own and may only use public members from here.
     */
    public static final class SlowToInitialise {
        static {
            runCurrentWork();
        }

        private SlowToInitialise() {
        }
    }

    /** Called from {@link SlowToInitialise}'s initialiser: runs the current request's work. */
    public static void runCurrentWork() {
        CURRENT.get().runOnce();
    }

    @Override
    public String description() {
        return "the work inside a static initialiser (a fresh class per request): pins the carrier on every JDK";
    }

    @Override
    public <T> Answer<T> run(Callable<T> work) throws Exception {
        KeptOutcome<T> call = new KeptOutcome<>(work);
        ClassLoader fresh = new FreshLoader(PinnedClinitStyle.class.getClassLoader());
        ScopedValue.where(CURRENT, call).call(() -> Class.forName(SlowToInitialise.class.getName(), true, fresh));
        return PinningByJdk.RUNNING_CLINIT.noted(Answer.onCurrentThread(call.get()));
    }

    /**
     * Defines its own copy of {@link SlowToInitialise} (so it is initialised again) and leaves
     * every other class to its parent.
     */
    private static final class FreshLoader extends ClassLoader {

        private static final String NAME = SlowToInitialise.class.getName();

        FreshLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(NAME)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    String resource = name.replace('.', '/') + ".class";
                    try (InputStream in = getParent().getResourceAsStream(resource)) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        loaded = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return loaded;
            }
        }
    }
}
