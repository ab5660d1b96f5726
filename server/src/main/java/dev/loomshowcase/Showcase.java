package dev.loomshowcase;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

import dev.loomshowcase.concurrency.BoundedPool;
import dev.loomshowcase.db.Database;
import dev.loomshowcase.docs.DocsService;
import dev.loomshowcase.index.IndexService;
import dev.loomshowcase.index.WhoAmIService;
import dev.loomshowcase.jobs.JobQueue;
import dev.loomshowcase.jobs.JobsService;
import dev.loomshowcase.observe.HealthAndMetrics;
import dev.loomshowcase.observe.ObserveFeatureEndpoints;
import dev.loomshowcase.observe.ObserveService;
import dev.loomshowcase.observe.PinningMonitor;
import dev.loomshowcase.observe.RecordingControl;
import dev.loomshowcase.observe.ShowcaseMeters;
import dev.loomshowcase.observe.ThreadRoutes;
import dev.loomshowcase.payloads.StreamService;
import dev.loomshowcase.payloads.UploadService;
import dev.loomshowcase.race.RaceService;
import dev.loomshowcase.styles.EventLoopBlockedStyle;
import dev.loomshowcase.styles.LimitedStyle;
import dev.loomshowcase.styles.PinnedClinitStyle;
import dev.loomshowcase.styles.PinnedNativeStyle;
import dev.loomshowcase.styles.PinnedSyncStyle;
import dev.loomshowcase.styles.PlatformStyle;
import dev.loomshowcase.styles.ReactiveStyle;
import dev.loomshowcase.styles.Styles;
import dev.loomshowcase.styles.VirtualStyle;
import dev.loomshowcase.tutorials.TutorialService;
import dev.loomshowcase.upstream.UpstreamCalls;
import dev.loomshowcase.upstream.UpstreamClient;
import dev.loomshowcase.upstream.UpstreamMock;
import dev.loomshowcase.users.UsersService;
import dev.loomshowcase.web.AcceptEncoding;
import dev.loomshowcase.web.BrowserBoundaryFilter;
import dev.loomshowcase.web.ConnectionCloseFilter;
import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.ErrorAnswers;
import dev.loomshowcase.web.GzipEncoding;
import dev.loomshowcase.web.PriorKnowledgeSelector;
import dev.loomshowcase.web.ProblemDirectHandler;
import dev.loomshowcase.web.ReadDeadlines;
import dev.loomshowcase.work.CpuScenario;
import dev.loomshowcase.work.DbScenario;
import dev.loomshowcase.work.FanoutScenario;
import dev.loomshowcase.work.HttpScenario;
import dev.loomshowcase.work.Route;
import dev.loomshowcase.work.Routes;
import dev.loomshowcase.work.ScenarioService;
import dev.loomshowcase.work.SleepScenario;
import dev.loomshowcase.work.ThreadsScenario;

import io.helidon.common.LazyValue;
import io.helidon.config.Config;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;

/**
 * The whole application, wired in one place: the pools and styles (sized from config), the
 * scenarios, the services and the main socket's routing, and the upstream mock on its own socket
 * ({@link UpstreamMock}). Every setting comes from {@code application.yaml}. Tests start it
 * exactly as {@link Main} does, on free ports.
 */
public final class Showcase implements AutoCloseable {

    private final Config config;
    private final ShutdownOrder shutdown;
    private final BoundedPool platformPool;
    private final BoundedPool cpuPool;
    private final LimitedStyle limited;
    private final PinningMonitor pinningMonitor;
    private final Database database;
    private final JobQueue jobs;
    private final List<Route> routes;
    private final IndexService index;
    private final List<EndpointService> mainServices;
    private final UpstreamMock upstreamMock;
    /** Registered once the server is built: its observe feature has made Helidon's global registry by then. */
    private final LazyValue<ShowcaseMeters> meters;
    private volatile WebServer server;
    private final BrowserBoundaryFilter browserBoundary;
    private final ReadDeadlines readDeadlines;
    /** The main socket's HTTP/1.1 and h2c, made by {@link #configure}: its routing counts each h2 connection's streams. */
    private PriorKnowledgeSelector mainProtocols;

    private Showcase(Config config, ShutdownOrder shutdown) {
        // Every value is required (.get()): its default is in application.yaml, the one place it is written.
        this.config = config;
        this.shutdown = shutdown;
        Config app = config.get("app");
        int retryAfter = app.get("retry-after-seconds").asInt().get();
        platformPool = pool("platform-pool", app.get("platform-pool.size").asInt().get(), app, retryAfter);
        cpuPool = pool("cpu-pool", orCores(app.get("cpu-pool.size").asInt().get()), app, retryAfter);
        BoundedPool eventLoop = pool("event-loop", 1, app, retryAfter);
        ForkJoinPool parallelPool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        shutdown.add(parallelPool::shutdownNow);

        browserBoundary = BrowserBoundaryFilter.create(config);
        Config upstreamConfig = config.get("upstream");
        upstreamMock = UpstreamMock.create(upstreamConfig);
        Supplier<URI> upstreamBase = upstreamMock.baseUri(config.get("server.host").asString().get(),
                this::upstreamPort);
        UpstreamClient upstream = new UpstreamClient(upstreamBase,
                Duration.ofMillis(upstreamConfig.get("connect-timeout-ms").asLong().get()),
                Duration.ofMillis(upstreamConfig.get("read-timeout-ms").asLong().get()),
                new UpstreamCalls(upstreamConfig.get("max-in-flight").asInt().get(), retryAfter));
        readDeadlines = shutdown.add(ReadDeadlines.create(app.get("read-deadlines")));

        ThreadRoutes threadRoutes = new ThreadRoutes();
        Config monitorConfig = app.get("pinning-monitor");
        pinningMonitor = shutdown.add(PinningMonitor.create(monitorConfig, threadRoutes));
        RecordingControl recordings = shutdown.add(RecordingControl.create(app.get("recordings")));

        database = shutdown.add(Database.open(config));
        BoundedPool jdbcOffload = pool("jdbc-offload", database.poolSize(), app, retryAfter);
        jobs = shutdown.add(JobQueue.create(app.get("jobs"), database, upstream, retryAfter));

        // The styles, each one small class; every scenario writes one route per style it offers.
        limited = LimitedStyle.create(app.get("limited"), retryAfter);
        Styles styles = new Styles(new VirtualStyle(), new PlatformStyle(platformPool), limited, new ReactiveStyle(),
                new EventLoopBlockedStyle(eventLoop), new PinnedSyncStyle(), new PinnedNativeStyle(), new PinnedClinitStyle());
        routes = Routes.of(styles, new SleepScenario(styles), new HttpScenario(styles, upstream),
                new FanoutScenario(styles, upstream, platformPool),
                new CpuScenario(styles.virtual(), new PlatformStyle(cpuPool), parallelPool),
                new DbScenario(styles, database, jdbcOffload), new ThreadsScenario(styles.virtual(), retryAfter));

        index = new IndexService(routes, this::mainEndpoints, upstreamMock.endpoints(), upstreamBase);
        mainServices = List.of(
                index,
                new WhoAmIService(),
                new DocsService(),
                new ScenarioService(routes, threadRoutes),
                new UsersService(database, upstream),
                new TutorialService(routes, database, jobs),
                new JobsService(jobs),
                new ObserveService(pinningMonitor, recordings, monitorConfig.get("max-streams").asInt().get()),
                new ObserveFeatureEndpoints(),
                new RaceService(routes, pinningMonitor, this::port,
                        Duration.ofSeconds(app.get("race.max-seconds").asLong().get())),
                new StreamService(),
                new UploadService(app.get("upload.max-bytes").asLong().get()));
        meters = LazyValue.create(() -> ShowcaseMeters.register(Metrics::globalRegistry,
                List.of(platformPool, cpuPool, eventLoop, jdbcOffload, jobs.cpuPool()), database, jobs, upstream, limited));
    }

    /** A bounded pool of this size, its queue from {@code app.<name>.queue}; {@link #close} stops it. */
    private BoundedPool pool(String name, int size, Config app, int retryAfter) {
        return shutdown.add(new BoundedPool(name, size, app.get(name + ".queue").asInt().get(), retryAfter));
    }

    /** A pool size where application.yaml says "0 = number of cores". */
    private static int orCores(int size) {
        return size > 0 ? size : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Builds the showcase from config: pools, styles, scenarios, database. Jobs a previous run
     * left unfinished are marked interrupted, and the pinning monitor starts; no socket is open
     * yet ({@link #configure} adds both sockets' routing to a server builder).
     */
    public static Showcase create(Config config) {
        ShutdownOrder shutdown = new ShutdownOrder();
        Showcase showcase;
        try {
            showcase = new Showcase(config, shutdown);
            showcase.jobs.start();
        } catch (RuntimeException e) {
            // A key missing from the config, the database held by another process: stop what was built.
            shutdown.closeAll();
            throw e;
        }
        showcase.pinningMonitor.start();
        return showcase;
    }

    /**
     * Adds the showcase to a server builder: the main socket's routing and error answers, and the
     * upstream mock's socket. {@link Startup} uses it with {@code application.yaml}'s
     * {@code server} node; Helidon's {@code @ServerTest} uses it from a {@code @SetUpServer} method.
     */
    public void configure(WebServerConfig.Builder builder) {
        mainProtocols = PriorKnowledgeSelector.create(readDeadlines.http1(), config.get("app.http2"));
        // GET /observe/metrics and /observe/health, with this showcase's readiness check.
        builder.addFeature(HealthAndMetrics.feature(config.get("server.features.observe"), database));
        builder.directHandlers(ProblemDirectHandler.forAllEvents(this::mainEndpoints))
                // HTTP/1.1 with the header deadline, and h2c with prior knowledge (app.http2), in place of
                // the protocols Helidon would discover (not beside them).
                .protocolsDiscoverServices(false)
                .addConnectionSelector(mainProtocols)
                // Both sockets: gzip as Helidon discovers it, chosen by our reading of Accept-Encoding.
                .contentEncoding(AcceptEncoding.create())
                .routing(this::mainRouting);
        upstreamMock.addSocket(builder, config.get("server.host").asString().get(), browserBoundary, readDeadlines);
    }

    /** The server this showcase was configured into, once it runs: ports come from it. */
    public void started(WebServer server) {
        this.server = server;
        meters.get();
    }

    private void mainRouting(HttpRouting.Builder routing) {
        // First, so that it sees the whole answer (gzipped too) before it ends the connection.
        routing.addFilter(new ConnectionCloseFilter());
        routing.addFilter(mainProtocols.requestsFilter());
        routing.addFilter(readDeadlines.bodyFilter());
        routing.addFilter(browserBoundary);
        // Helidon gzips for clients that accept it (web/GzipEncoding); on this socket only JSON, NDJSON and CSV.
        routing.addFilter(GzipEncoding.rules());
        mainServices.forEach(routing::register);
        ErrorAnswers.register(routing, this::mainEndpoints);
    }

    // Its parts, for Main, the tests and the support code that starts it.
    public WebServer server() { return server; }
    public int port() { return server.port(); }
    public int upstreamPort() { return server.port(UpstreamMock.SOCKET); }
    /** The scenario × style matrix, as routed. */
    public List<Route> routes() { return routes; }
    /** Every endpoint of the main socket, as routed. */
    public List<Endpoint> mainEndpoints() { return EndpointService.endpointsOf(mainServices); }
    /** Every endpoint of the upstream socket, as routed. */
    public List<Endpoint> upstreamEndpoints() { return upstreamMock.endpoints(); }
    public IndexService index() { return index; }
    public BoundedPool platformPool() { return platformPool; }
    /** The {@code limited} style: its permits and what holds or waits for them. */
    public LimitedStyle limited() { return limited; }
    public BoundedPool cpuPool() { return cpuPool; }
    /** The background jobs: what {@code /jobs} serves, and where other code submits jobs. */
    public JobQueue jobs() { return jobs; }
    public PinningMonitor pinningMonitor() { return pinningMonitor; }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        if (meters.isLoaded()) {
            meters.get().close();
        }
        // Helidon's vthreads_* meters read a JFR stream on a non-daemon thread that Helidon stops only in
        // its JVM shutdown hook (4.5 has no API to stop it sooner): a process that closes a showcase and
        // means to end must exit (Main's Ctrl+C or SIGTERM, its System.exit on a failed start, surefire).
        shutdown.closeAll();
    }
}
