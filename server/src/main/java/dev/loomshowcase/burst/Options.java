package dev.loomshowcase.burst;

import java.time.Duration;
import java.util.Objects;

/**
 * What every kind of run shares: where the requests go, and what watches the server meanwhile.
 * Start from {@link #of(Target)} and change what differs.
 *
 * @param target      the URL every measured request asks for
 * @param probe       the side probe's URL, or null for no probe
 * @param serverPid   the server's process id, for its CPU time, memory and threads; or null
 * @param observeBase the showcase's base URL, for {@code /observe/pinning} and
 *                    {@code /observe/scheduler}; or null
 * @param timeout     how long one request may take; also bounds the run (a burst's connect
 *                    phase and its answers, an open loop's last answer after its send window)
 * @param label       a name for the run in the summary and the JSON; or null
 * @param progress    told of each request's end as a burst goes ({@link Progress#NONE}: nothing)
 * @param platformClients whether a burst's requests run on platform threads rather than
 *                    virtual ones: for a generator inside the server it measures (the race
 *                    page), whose virtual threads share the carriers that pinned or CPU-bound
 *                    work holds, and would read the answers only when that work lets go
 */
public record Options(Target target, Target probe, Long serverPid, Target observeBase, Duration timeout,
                      String label, Progress progress, boolean platformClients) {

    /** The longest a request may be given, so that no run's deadline is far away. */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(600);

    public Options {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("the timeout must be between 1 ms and " + MAX_TIMEOUT.toSeconds() + " s");
        }
        progress = progress == null ? Progress.NONE : progress;
    }

    /** Requests to {@code target}, a 60 s timeout, no probe, no server statistics. */
    public static Options of(Target target) {
        return new Options(target, null, null, null, Duration.ofSeconds(60), null, Progress.NONE, false);
    }

    public Options withProbe(Target probe) {
        return new Options(target, probe, serverPid, observeBase, timeout, label, progress, platformClients);
    }

    public Options withServerPid(Long serverPid) {
        return new Options(target, probe, serverPid, observeBase, timeout, label, progress, platformClients);
    }

    public Options withObserveBase(Target observeBase) {
        return new Options(target, probe, serverPid, observeBase, timeout, label, progress, platformClients);
    }

    public Options withTimeout(Duration timeout) {
        return new Options(target, probe, serverPid, observeBase, timeout, label, progress, platformClients);
    }

    public Options withLabel(String label) {
        return new Options(target, probe, serverPid, observeBase, timeout, label, progress, platformClients);
    }

    /** Options whose bursts tell {@code progress} of each request as it ends. */
    public Options withProgress(Progress progress) {
        return new Options(target, probe, serverPid, observeBase, timeout, label, progress, platformClients);
    }

    /** Options whose bursts send from platform threads (see {@link #platformClients()}). */
    public Options withPlatformClients() {
        return new Options(target, probe, serverPid, observeBase, timeout, label, progress, true);
    }
}
