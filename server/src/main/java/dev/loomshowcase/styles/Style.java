package dev.loomshowcase.styles;

import java.util.concurrent.Callable;

/**
 * A way of running blocking work: the work is the same plain Java for every style, only the
 * threads differ. Each style is one small class, so a reader can open one and see the whole
 * difference. The one style that takes non-blocking work instead is {@link ReactiveStyle}.
 */
public interface Style {

    /** One line for the index: what this style does with the work. */
    String description();

    /**
     * Runs the work and answers with its result and the thread that finished it.
     *
     * @throws Exception whatever the work throws, unwrapped
     */
    <T> Answer<T> run(Callable<T> work) throws Exception;
}
