package dev.loomshowcase.burst;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

/**
 * What {@link ServerStats} counts as the server's CPU: every process of a server made of several
 * (uvicorn --workers 2: a parent that waits, workers that work), and only the window an open
 * loop marks, not the set-up and wind-down around it.
 */
@Timeout(60)
class ServerStatsCpuTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    }

    @Test
    void aParentThatOnlyWaitsCostsWhatItsChildrenUse() throws Exception {
        // A shell that starts a busy child and waits for it: the parent itself uses next to nothing.
        Process parent = new ProcessBuilder("sh", "-c", "sh -c 'while :; do :; done' & wait").start();
        try {
            ProcessHandle child = waitForChild(parent);
            ServerStats stats = ServerStats.start(parent.pid(), null, deadline());
            Long childFrom = ServerStats.ownCpuTicks(child.pid());
            Long parentFrom = ServerStats.ownCpuTicks(parent.pid());
            // Until the child has used 30 ticks (0.3 s at Linux's usual 100 a second) since the start.
            while (ServerStats.ownCpuTicks(child.pid()) - childFrom < 30) {
                Thread.sleep(20);
            }
            ServerStats.Usage usage = stats.stop();
            assertThat("the waiting parent alone used almost nothing",
                    ServerStats.ownCpuTicks(parent.pid()) - parentFrom, lessThan(10L));
            assertThat("the child's 30 ticks are the server's: " + usage.cpuSeconds() + " s",
                    usage.cpuSeconds(), greaterThanOrEqualTo(0.29));
            assertThat("the threads of both processes", usage.threads(), greaterThanOrEqualTo(2));
            assertThat("the memory of both processes", usage.peakRssBytes(),
                    greaterThan(ServerStats.kilobytes(ServerStats.status(parent.pid()).get("VmRSS"))));
        } finally {
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theCpuWindowLeavesOutWhatCameBeforeAndAfterIt() throws Exception {
        long pid = ProcessHandle.current().pid();
        ServerStats stats = ServerStats.start(pid, null, deadline());
        burn(300);                      // before the window: set-up
        stats.startCpuWindow();
        long windowStart = System.nanoTime();
        Thread.sleep(100);              // the window: this process next to idle
        stats.endCpuWindow();
        double windowSeconds = (System.nanoTime() - windowStart) / 1e9;
        burn(300);                      // after it: wind-down
        ServerStats.Usage usage = stats.stop();
        // The whole process (GC and JIT threads too) may use every core during the window, plus
        // a clock tick of rounding each side; the 600 ms burned around it would be far more.
        assertThat("only the window's CPU: " + usage.cpuSeconds() + " s in a " + windowSeconds + " s window",
                usage.cpuSeconds(), lessThan(windowSeconds * Runtime.getRuntime().availableProcessors() + 0.05));
        assertThat(usage.cpuSeconds(), lessThan(0.5));
        assertThat("without a window, from start to stop", ServerStats.cpuTicks(pid), greaterThan(0L));
    }

    private static ProcessHandle waitForChild(Process parent) throws InterruptedException {
        while (true) {
            var child = parent.children().findFirst();
            if (child.isPresent()) {
                return child.get();
            }
            if (!parent.isAlive()) {
                throw new AssertionError("the shell ended before it started its child");
            }
            Thread.sleep(10);
        }
    }

    /** Uses this many milliseconds of this thread's CPU, by its own CPU clock. */
    private static void burn(long ms) {
        long end = THREADS.getCurrentThreadCpuTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (THREADS.getCurrentThreadCpuTime() < end) {
            Thread.onSpinWait();
        }
    }
}
