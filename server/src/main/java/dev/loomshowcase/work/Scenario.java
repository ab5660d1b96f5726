package dev.loomshowcase.work;

import java.util.List;

/**
 * A piece of blocking work, written once, and the styles it can be run in. Each scenario is
 * one file: open it next to one style and the whole difference is on screen.
 */
public interface Scenario {

    /** The first path segment, e.g. {@code sleep}. */
    String name();

    /** One route per style this scenario offers. */
    List<Route> routes();
}
