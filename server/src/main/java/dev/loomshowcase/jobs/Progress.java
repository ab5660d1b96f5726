package dev.loomshowcase.jobs;

/**
 * What running work sees of its job: it reports how far it got, and asks between two pieces
 * of work whether it should stop. Java cannot stop a thread from outside, so cancellation is
 * cooperative: work that never calls {@link #check()} (and never blocks interruptibly) runs
 * to its end.
 */
public interface Progress {

    /**
     * Records how far the work got, from 0 to 100. Cheap to call often: only a changed value
     * is written.
     */
    void report(int percent);

    /**
     * Returns at once if the job should go on.
     *
     * @throws InterruptedException when the job was cancelled or the server is stopping
     */
    void check() throws InterruptedException;
}
