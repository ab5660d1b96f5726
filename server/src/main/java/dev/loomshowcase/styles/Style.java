package dev.loomshowcase.styles;

/**
 * A way of running a piece of work. The work is the same for every style; only the threads
 * differ. Each style is one small class, so a reader can open one and see the whole difference.
 */
public interface Style {

    /** The path segment of the style, e.g. {@code virtual} in {@code /sleep/virtual}. */
    String name();

    /** One line for the index: what this style does with the work. */
    String description();

    /**
     * Runs the work and reports which thread finished it.
     *
     * @throws Exception whatever the work throws, unwrapped
     */
    <T> Ran<T> run(Work<T> work) throws Exception;
}
