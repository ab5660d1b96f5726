package dev.loomshowcase.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import dev.loomshowcase.concurrency.BoundedPool;
import dev.loomshowcase.db.Database;
import dev.loomshowcase.jobs.JobQueue;
import dev.loomshowcase.styles.LimitedStyle;
import dev.loomshowcase.upstream.UpstreamClient;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;

/**
 * The showcase's own meters in Helidon's global registry, served by {@code GET /observe/metrics}
 * beside Helidon's ({@code showcase_pool_active{pool="platform-pool"}} in Prometheus text). Each
 * reads the live object when it is scraped, so nothing is counted twice.
 * <p>
 * The registry is one per JVM, and a test JVM runs several showcases: the newest live one owns
 * the names, and when it closes, its meters are removed and the newest one still open takes
 * them back. No meter is ever left reading a closed showcase.
 */
public final class ShowcaseMeters implements AutoCloseable {

    private static final String PREFIX = "showcase.";
    /** The open showcases of this JVM, oldest first; the last one's meters are registered. */
    private static final List<ShowcaseMeters> OPEN = new ArrayList<>();
    private static final ReentrantLock LOCK = new ReentrantLock();

    /** Asked each time: Helidon 4.5 replaces its global registry when a server with other metrics settings is built. */
    private final Supplier<MeterRegistry> registry;
    private final List<Definition> definitions = new ArrayList<>();
    private final List<Meter> registered = new ArrayList<>();

    /** One meter: its name and tags, and how to build it. */
    private record Definition(String name, List<Tag> tags, Supplier<Meter.Builder<?, ?>> builder) {
    }

    private ShowcaseMeters(Supplier<MeterRegistry> registry) {
        this.registry = registry;
    }

    /**
     * Registers the meters of the bounded pools (per pool: size, active, queued, rejected), the
     * JDBC pool's connections, the background jobs' I/O places, the upstream calls in flight, and
     * the limited style's permits, waits and refusals.
     */
    public static ShowcaseMeters register(Supplier<MeterRegistry> registry, List<BoundedPool> pools, Database database,
                                          JobQueue jobs, UpstreamClient upstream, LimitedStyle limited) {
        ShowcaseMeters meters = new ShowcaseMeters(registry);
        for (BoundedPool pool : pools) {
            List<Tag> tag = List.of(Tag.create("pool", pool.name()));
            meters.gauge("pool.size", "threads of the pool", tag, pool, BoundedPool::size);
            meters.gauge("pool.active", "threads of the pool running work", tag, pool, BoundedPool::active);
            meters.gauge("pool.queued", "tasks waiting for one of the pool's threads", tag, pool, BoundedPool::queued);
            meters.counter("pool.rejected", "work refused with 503 because the pool and its queue were full", tag,
                    pool, BoundedPool::rejected);
        }
        if (database.connections().isPresent()) {
            meters.gauge("db.connections.active", "JDBC connections in use (Hikari)", List.of(), database,
                    db -> db.connections().map(Database.Connections::active).orElse(0));
            meters.gauge("db.connections.idle", "JDBC connections open and free (Hikari)", List.of(), database,
                    db -> db.connections().map(Database.Connections::idle).orElse(0));
            meters.gauge("db.connections.pending", "threads waiting for a JDBC connection (Hikari)", List.of(), database,
                    db -> db.connections().map(Database.Connections::pending).orElse(0));
        }
        meters.gauge("jobs.io.running", "I/O jobs running (at most app.jobs.io-concurrency)", List.of(), jobs,
                JobQueue::ioRunning);
        meters.gauge("jobs.io.queued", "I/O jobs waiting for a place (at most app.jobs.io-queue)", List.of(), jobs,
                JobQueue::ioQueued);
        List<Tag> style = List.of(Tag.create("style", limited.name()));
        meters.gauge("limit.permits", "permits of the limited style's concurrency limit", style, limited,
                LimitedStyle::permits);
        meters.gauge("limit.in_use", "permits of the limited style taken right now", style, limited, LimitedStyle::inUse);
        meters.gauge("limit.waiting", "requests waiting for a permit of the limited style", style, limited,
                LimitedStyle::waiting);
        meters.counter("limit.admitted", "requests the limited style let in", style, limited, LimitedStyle::admitted);
        meters.counter("limit.rejected", "requests the limited style refused with 503: its queue was full",
                List.of(style.getFirst(), Tag.create("reason", "queue-full")), limited, LimitedStyle::refusedQueueFull);
        meters.counter("limit.rejected", "requests the limited style refused with 503: no permit within the queue timeout",
                List.of(style.getFirst(), Tag.create("reason", "queue-timeout")), limited, LimitedStyle::refusedTimedOut);
        meters.gauge("upstream.in_flight", "calls to the upstream sent and not answered yet", List.of(), upstream,
                UpstreamClient::inFlight);
        LOCK.lock();
        try {
            if (!OPEN.isEmpty()) {
                OPEN.getLast().unpublish();
            }
            OPEN.add(meters);
            meters.publish();
        } finally {
            LOCK.unlock();
        }
        return meters;
    }

    private <T> void gauge(String name, String description, List<Tag> tags, T state, ToDoubleFunction<T> value) {
        definitions.add(new Definition(PREFIX + name, tags,
                () -> Gauge.builder(PREFIX + name, state, value).description(description).tags(tags)));
    }

    private <T> void counter(String name, String description, List<Tag> tags, T state, Function<T, Long> value) {
        definitions.add(new Definition(PREFIX + name, tags,
                () -> FunctionalCounter.builder(PREFIX + name, state, value).description(description).tags(tags)));
    }

    /** Puts this showcase's meters in the registry, in the place of any of the same name and tags. */
    private void publish() {
        MeterRegistry now = registry.get();
        for (Definition meter : definitions) {
            now.remove(meter.name(), meter.tags());
            registered.add(getOrCreate(now, meter.builder().get()));
        }
    }

    /** Takes this showcase's meters out of the registry (those another has replaced are gone already). */
    private void unpublish() {
        MeterRegistry now = registry.get();
        for (Meter meter : registered) {
            // Deleted: replaced by a newer showcase's, or gone with a registry Helidon replaced.
            if (!now.isDeleted(meter)) {
                now.remove(meter);
            }
        }
        registered.clear();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Meter getOrCreate(MeterRegistry registry, Meter.Builder builder) {
        return registry.getOrCreate(builder);
    }

    /** Removes this showcase's meters; the newest showcase still open registers its own again. */
    @Override
    public void close() {
        LOCK.lock();
        try {
            boolean owner = !OPEN.isEmpty() && OPEN.getLast() == this;
            OPEN.remove(this);
            unpublish();
            if (owner && !OPEN.isEmpty()) {
                OPEN.getLast().publish();
            }
        } finally {
            LOCK.unlock();
        }
    }
}
