package dev.loomshowcase.styles;

/**
 * Runs the work directly on the request's own virtual thread: Helidon 4 gives every request
 * one. Blocking here only parks that virtual thread; its carrier is free for other requests.
 * This is the FastAPI {@code async def} + {@code await} lesson with none of the colouring.
 */
public final class VirtualStyle implements Style {

    @Override
    public String name() {
        return "virtual";
    }

    @Override
    public String description() {
        return "plain blocking code on the request's virtual thread (Helidon's default)";
    }

    @Override
    public <T> Ran<T> run(Work<T> work) throws Exception {
        return Ran.here(work.blocking().call());
    }
}
