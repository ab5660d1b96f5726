package dev.loomshowcase.styles;

import java.util.concurrent.Callable;

/**
 * Runs the work directly on the request's own virtual thread: Helidon 4 gives every request
 * one. Blocking here only parks that virtual thread; its carrier is free for other requests.
 * FastAPI's {@code async def} + {@code await}, with none of the colouring: the code is plain
 * blocking Java, and every wait is an {@code await} the JDK inserts for you.
 */
public final class VirtualStyle implements Style {

    @Override
    public String description() {
        return "plain blocking code on the request's virtual thread (Helidon's default)";
    }

    @Override
    public <T> Answer<T> run(Callable<T> work) throws Exception {
        return Answer.onCurrentThread(work.call());
    }
}
