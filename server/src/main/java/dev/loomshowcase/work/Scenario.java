package dev.loomshowcase.work;

/**
 * A piece of blocking work, written once, its non-blocking twin where it has one, and the routes
 * that run them in each style. Each scenario is one file: open it and the whole lesson is on screen.
 */
public interface Scenario {

    /** Writes this scenario's routes, one line per style, into the showcase's one list. */
    void addRoutes(Routes routes);
}
