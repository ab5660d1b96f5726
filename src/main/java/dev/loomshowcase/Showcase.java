package dev.loomshowcase;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import dev.loomshowcase.db.Database;
import dev.loomshowcase.db.DatabaseReadiness;
import dev.loomshowcase.docs.DocsService;
import dev.loomshowcase.index.IndexService;
import dev.loomshowcase.index.WhoAmIService;
import dev.loomshowcase.jobs.CpuJob;
import dev.loomshowcase.jobs.JobQueue;
import dev.loomshowcase.jobs.JobsService;
import dev.loomshowcase.jobs.ProcessDataJob;
import dev.loomshowcase.jobs.RunPodJob;
import dev.loomshowcase.jobs.S3UploadJob;
import dev.loomshowcase.observe.ObserveFeatureEndpoints;
import dev.loomshowcase.observe.ObserveService;
import dev.loomshowcase.observe.PinningMonitor;
import dev.loomshowcase.observe.RecordingControl;
import dev.loomshowcase.observe.ShowcaseMeters;
import dev.loomshowcase.observe.ThreadRoutes;
import dev.loomshowcase.payloads.StreamService;
import dev.loomshowcase.payloads.UploadService;
import dev.loomshowcase.race.RaceService;
import dev.loomshowcase.styles.BoundedPool;
import dev.loomshowcase.styles.EventLoopBlockedStyle;
import dev.loomshowcase.styles.LimitedStyle;
import dev.loomshowcase.styles.PinnedClinitStyle;
import dev.loomshowcase.styles.PinnedNativeStyle;
import dev.loomshowcase.styles.PinnedSyncStyle;
import dev.loomshowcase.styles.PlatformStyle;
import dev.loomshowcase.styles.ReactiveStyle;
import dev.loomshowcase.styles.Style;
import dev.loomshowcase.styles.VirtualStyle;
import dev.loomshowcase.tutorials.TutorialService;
import dev.loomshowcase.upstream.DelayService;
import dev.loomshowcase.upstream.HuggingFaceMock;
import dev.loomshowcase.upstream.ObjectStoreMock;
import dev.loomshowcase.upstream.RunPodMock;
import dev.loomshowcase.upstream.UpstreamCalls;
import dev.loomshowcase.upstream.UpstreamClient;
import dev.loomshowcase.web.AcceptEncoding;
import dev.loomshowcase.web.ConnectionCloseFilter;
import dev.loomshowcase.web.Endpoint;
import dev.loomshowcase.web.EndpointService;
import dev.loomshowcase.web.GzipEncoding;
import dev.loomshowcase.web.OpenFileBudget;
import dev.loomshowcase.web.ProblemDirectHandler;
import dev.loomshowcase.web.ReadDeadlines;
import dev.loomshowcase.web.Unrouted;
import dev.loomshowcase.web.Problem;
import dev.loomshowcase.users.UsersService;
import dev.loomshowcase.work.CpuScenario;
import dev.loomshowcase.work.DbScenario;
import dev.loomshowcase.work.FanoutScenario;
import dev.loomshowcase.work.HttpScenario;
import dev.loomshowcase.work.Route;
import dev.loomshowcase.work.ScenarioService;
import dev.loomshowcase.work.SleepScenario;

import io.helidon.config.Config;
import io.helidon.http.HttpException;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;

/**
 * The whole application, wired in one place: the pools and styles (sized from config), the
 * scenarios, the upstream mock on its own socket, and the routing of both sockets. Tests start
 * it exactly as {@link Main} does, on free ports.
 */
public final class Showcase implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(Showcase.class.getName());
    /** Name of the second socket, where the upstream mock answers. */
    public static final String UPSTREAM_SOCKET = "upstream";

    private final BoundedPool platformPool;
    private final LimitedStyle limited;
    private final BoundedPool cpuPool;
    private final BoundedPool eventLoop;
    private final ForkJoinPool parallelPool;
    private final List<EndpointService> mainServices;
    private final List<EndpointService> upstreamServices;
    private final IndexService index;
    private final List<Route> routes;
    private final Config upstreamConfig;
    private final String host;
    private volatile WebServer server;
    private final ThreadRoutes threadRoutes;
    private final PinningMonitor pinningMonitor;
    private final RecordingControl recordings;
    private final Database database;
    private final BoundedPool jdbcOffload;
    private final JobQueue jobs;
    private final UpstreamClient upstream;
    private final ReadDeadlines readDeadlines;
    private final Config observeConfig;
    private final ReentrantLock metersLock = new ReentrantLock();
    private ShowcaseMeters meters;

    private Showcase(Config config) {
        Config app = config.get("app");
        int cores = Runtime.getRuntime().availableProcessors();
        int retryAfter = app.get("retry-after-seconds").asInt().orElse(1);
        platformPool = new BoundedPool("platform-pool",
                app.get("platform-pool.size").asInt().orElse(10),
                app.get("platform-pool.queue").asInt().orElse(1000), retryAfter);
        int cpuSize = app.get("cpu-pool.size").asInt().orElse(0);
        cpuPool = new BoundedPool("cpu-pool", cpuSize > 0 ? cpuSize : cores,
                app.get("cpu-pool.queue").asInt().orElse(64), retryAfter);
        eventLoop = new BoundedPool("event-loop", 1, app.get("event-loop.queue").asInt().orElse(1000), retryAfter);
        parallelPool = new ForkJoinPool(cores);

        upstreamConfig = config.get("upstream");
        observeConfig = config.get("server.features.observe");
        host = config.get("server.host").asString().orElse("127.0.0.1");
        Supplier<URI> upstreamBase = upstreamConfig.get("base-uri").asString()
                .filter(uri -> !uri.isBlank())
                .<Supplier<URI>>map(uri -> () -> URI.create(uri))
                .orElse(() -> URI.create("http://" + host + ":" + upstreamPort() + "/"));
        upstream = new UpstreamClient(upstreamBase,
                Duration.ofMillis(upstreamConfig.get("connect-timeout-ms").asLong().orElse(2_000L)),
                Duration.ofMillis(upstreamConfig.get("read-timeout-ms").asLong().orElse(30_000L)),
                new UpstreamCalls(upstreamConfig.get("max-in-flight").asInt().orElse(2_000), retryAfter));
        readDeadlines = ReadDeadlines.create(app.get("read-deadlines"));

        threadRoutes = new ThreadRoutes();
        Config monitorConfig = app.get("pinning-monitor");
        pinningMonitor = new PinningMonitor(monitorConfig.get("enabled").asBoolean().orElse(true),
                Duration.ofMillis(monitorConfig.get("threshold-ms").asLong().orElse(5L)),
                monitorConfig.get("remembered").asInt().orElse(200),
                monitorConfig.get("count-virtual-threads").asBoolean().orElse(true),
                threadRoutes);
        recordings = new RecordingControl(Path.of(app.get("recordings.folder").asString().orElse("recordings")));

        database = Database.open(config);
        jdbcOffload = new BoundedPool("jdbc-offload", database.poolSize(),
                app.get("jdbc-offload.queue").asInt().orElse(1000), retryAfter);

        Config jobsConfig = app.get("jobs");
        int jobThreads = jobsConfig.get("cpu-threads").asInt().orElse(0);
        jobs = new JobQueue(database,
                List.of(new CpuJob(), new ProcessDataJob(), new S3UploadJob(upstream),
                        new RunPodJob(upstream, Duration.ofMillis(jobsConfig.get("runpod.poll-ms").asLong().orElse(200L)),
                                Duration.ofMillis(jobsConfig.get("runpod.max-wait-ms").asLong().orElse(300_000L)))),
                new BoundedPool("jobs-cpu", jobThreads > 0 ? jobThreads : cores,
                        jobsConfig.get("cpu-queue").asInt().orElse(64), retryAfter),
                jobsConfig.get("io-concurrency").asInt().orElse(100),
                jobsConfig.get("io-queue").asInt().orElse(1000),
                retryAfter,
                Duration.ofMillis(jobsConfig.get("stop-wait-ms").asLong().orElse(2_000L)));

        // The styles, each one small class; every scenario picks the ones that make sense for it.
        VirtualStyle virtual = new VirtualStyle();
        PlatformStyle platform = new PlatformStyle(platformPool);
        limited = LimitedStyle.create(app.get("limited"), retryAfter);
        ReactiveStyle reactive = new ReactiveStyle();
        EventLoopBlockedStyle eventLoopBlocked = new EventLoopBlockedStyle(eventLoop);
        PinnedSyncStyle pinnedSync = new PinnedSyncStyle();
        PinnedNativeStyle pinnedNative = new PinnedNativeStyle();
        PinnedClinitStyle pinnedClinit = new PinnedClinitStyle();
        List<Style> waitingStyles = List.of(virtual, platform, limited, reactive, eventLoopBlocked, pinnedSync,
                pinnedNative, pinnedClinit);
        routes = Stream.of(
                        new SleepScenario(waitingStyles),
                        new HttpScenario(waitingStyles, upstream),
                        new FanoutScenario(upstream, platformPool),
                        new CpuScenario(virtual, new PlatformStyle(cpuPool), parallelPool),
                        new DbScenario(List.of(virtual, platform, limited, reactive, pinnedSync, pinnedNative), database,
                                jdbcOffload))
                .flatMap(scenario -> scenario.routes().stream())
                .toList();

        List<EndpointService> services = new ArrayList<>();
        upstreamServices = List.of(
                new DelayService(),
                new HuggingFaceMock(Duration.ofMillis(upstreamConfig.get("hf.latency-ms").asLong().orElse(300L))),
                new RunPodMock(Duration.ofMillis(upstreamConfig.get("runpod.queue-ms").asLong().orElse(1_000L)),
                        Duration.ofMillis(upstreamConfig.get("runpod.run-ms").asLong().orElse(2_000L)),
                        upstreamConfig.get("runpod.max-jobs").asInt().orElse(10_000)),
                new ObjectStoreMock(upstreamConfig.get("s3.max-object-bytes").asLong().orElse(10L << 20),
                        upstreamConfig.get("s3.max-total-bytes").asLong().orElse(256L << 20)));
        index = new IndexService(routes, this::mainEndpoints, endpointsOf(upstreamServices), upstreamBase);
        services.add(index);
        services.add(new WhoAmIService());
        services.add(new DocsService());
        services.add(new ScenarioService(routes, threadRoutes));
        services.add(new UsersService(database, upstream));
        services.add(new TutorialService(routes, database, jobs));
        services.add(new JobsService(jobs));
        services.add(new ObserveService(pinningMonitor, recordings, monitorConfig.get("max-streams").asInt().orElse(16)));
        services.add(new ObserveFeatureEndpoints());
        services.add(new RaceService(routes, pinningMonitor, this::port,
                Duration.ofSeconds(app.get("race.max-seconds").asLong().orElse(60L))));
        services.add(new StreamService());
        services.add(new UploadService(app.get("upload.max-bytes").asLong().orElse(100L << 20)));
        mainServices = List.copyOf(services);
    }

    /**
     * Builds the showcase from config: pools, styles, scenarios, database. Jobs a previous run
     * left unfinished are marked interrupted, and the pinning monitor starts; no socket is open
     * yet ({@link #configure} adds both sockets' routing to a server builder).
     */
    public static Showcase create(Config config) {
        Showcase showcase = new Showcase(config);
        try {
            showcase.jobs.start();
        } catch (RuntimeException e) {
            showcase.close();
            throw e;
        }
        showcase.pinningMonitor.start();
        return showcase;
    }

    /**
     * Adds the showcase to a server builder: the main socket's routing and error answers, and the
     * upstream mock's socket. {@link #start} uses it with {@code application.yaml}'s
     * {@code server} node; Helidon's {@code @ServerTest} uses it from a {@code @SetUpServer} method.
     */
    public void configure(WebServerConfig.Builder builder) {
        // Helidon's observe feature as application.yaml configures it (GET /observe/metrics and
        // /observe/health). Added here, not left for Helidon to find, so that its health observer
        // holds this showcase's readiness check; Helidon keeps a feature added on the builder over
        // the one of the same type and name it would find itself.
        builder.addFeature(ObserveFeature.builder()
                .config(observeConfig)
                .addObserver(HealthObserver.builder()
                        .config(observeConfig.get("observers.health"))
                        .addCheck(new DatabaseReadiness(database))
                        .build())
                .build());
        builder.directHandlers(ProblemDirectHandler.forAllEvents(this::mainEndpoints))
                // HTTP/1.1 with the header deadline, in place of the one Helidon would discover (not beside it).
                .protocolsDiscoverServices(false)
                .addConnectionSelector(readDeadlines.http1())
                // Both sockets: gzip as Helidon discovers it, chosen by our reading of Accept-Encoding.
                .contentEncoding(AcceptEncoding.create())
                .routing(this::mainRouting)
                .putSocket(UPSTREAM_SOCKET, socket -> socket
                        // Its connection bound and idle timeout, under upstream.socket (Helidon's listener keys).
                        .config(upstreamConfig.get("socket"))
                        .protocolsDiscoverServices(false)
                        .addConnectionSelector(readDeadlines.http1())
                        .host(host)
                        .port(upstreamConfig.get("port").asInt().orElse(8081))
                        .maxPayloadSize(upstreamConfig.get("max-payload-bytes").asLong().orElse(64L << 20))
                        .directHandlers(ProblemDirectHandler.forAllEvents(this::upstreamEndpoints)))
                .routing(UPSTREAM_SOCKET, this::upstreamRouting);
    }

    /** The server this showcase was configured into, once it runs: ports come from it. */
    public void started(WebServer server) {
        this.server = server;
        metersLock.lock();
        try {
            if (meters == null) {
                // Once the server is built: its observe feature has made Helidon's global registry by then.
                meters = ShowcaseMeters.register(Metrics::globalRegistry,
                        List.of(platformPool, cpuPool, eventLoop, jdbcOffload, jobs.cpuPool()), database, jobs, upstream, limited);
            }
        } finally {
            metersLock.unlock();
        }
    }

    /** Builds the showcase from config and starts both sockets. */
    public static Showcase start(Config config) {
        OpenFileBudget.check(config);
        Showcase showcase = create(config);
        WebServerConfig.Builder builder = WebServer.builder().config(config.get("server"));
        showcase.configure(builder);
        WebServer server = builder.build();
        showcase.started(server);
        server.start();
        if (!server.isRunning()) {
            // Helidon logs the cause (typically "Address already in use") and returns a stopped server.
            showcase.close();
            throw new IllegalStateException("The server could not start: is port "
                    + config.get("server.port").asInt().orElse(8080) + " or "
                    + config.get("upstream.port").asInt().orElse(8081)
                    + " already taken? Choose others with -Dserver.port=... -Dupstream.port=...");
        }
        return showcase;
    }

    private void mainRouting(HttpRouting.Builder routing) {
        // First, so that it sees the whole answer (gzipped too) before it ends the connection.
        routing.addFilter(new ConnectionCloseFilter());
        routing.addFilter(readDeadlines.bodyFilter());
        // Helidon gzips for clients that accept it (web/GzipEncoding); on this socket only JSON, NDJSON and CSV.
        routing.addFilter(GzipEncoding.rules());
        route(routing, mainServices);
    }

    private void upstreamRouting(HttpRouting.Builder routing) {
        routing.addFilter(new ConnectionCloseFilter());
        routing.addFilter(readDeadlines.bodyFilter());
        route(routing, upstreamServices);
    }

    /**
     * Both sockets: the services, and error handlers that answer failures as problem+json
     * (what no route serves is answered by {@link ProblemDirectHandler}).
     */
    private static void route(HttpRouting.Builder routing, List<EndpointService> services) {
        services.forEach(routing::register);
        Unrouted unrouted = new Unrouted(() -> endpointsOf(services));
        routing.error(Problem.class, (req, res, problem) -> {
                    // A failed upstream (502, 504) or a server fault is the operator's to see, with its
                    // cause, in one line; a full pool (503) is the server working as designed.
                    int code = problem.status().code();
                    if (code >= 500 && code != 503) {
                        Throwable cause = problem.getCause();
                        LOGGER.warning(req.prologue().method().text() + " " + req.path().path() + " → " + code + ": "
                                + problem.getMessage() + (cause == null ? "" : " (" + cause + ")"));
                    }
                    problem.send(res);
                })
                // With a filter in the chain, "no route" arrives here as an exception.
                .error(NotFoundException.class, (req, res, e) ->
                        unrouted.problem(req.prologue().method().text(), req.path().path()).send(res))
                .error(HttpException.class, (req, res, e) -> {
                    if (e.status().code() < 400) {
                        // Not an error: Helidon's static content answers a browser's revalidation with a 304
                        // this way. No problem body, and no problem type either, which a cache would keep.
                        e.headers().forEach(res::header);
                        res.status(e.status()).send();
                        return;
                    }
                    Problem.of(e.status(), e.status().reasonPhrase(),
                            "The request could not be handled: " + e.getMessage()).send(res);
                })
                .error(Exception.class, (req, res, e) -> {
                    // Log the trace for the operator; the client gets a short problem, never the trace.
                    LOGGER.log(Level.WARNING, "Unhandled error on " + req.prologue().method().text() + " "
                            + req.path().path(), e);
                    Problem.of(Status.INTERNAL_SERVER_ERROR_500, "Internal error",
                            "The server failed to handle this request: " + e.getClass().getSimpleName() + ".").send(res);
                });
    }

    private static List<Endpoint> endpointsOf(List<EndpointService> services) {
        return services.stream().flatMap(s -> s.endpoints().stream()).toList();
    }

    public WebServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public int upstreamPort() {
        return server.port(UPSTREAM_SOCKET);
    }

    /** The scenario × style matrix, as routed. */
    public List<Route> routes() {
        return routes;
    }

    /** Every endpoint of the main socket, as routed. */
    public List<Endpoint> mainEndpoints() {
        return endpointsOf(mainServices);
    }

    /** Every endpoint of the upstream socket, as routed. */
    public List<Endpoint> upstreamEndpoints() {
        return endpointsOf(upstreamServices);
    }

    public IndexService index() {
        return index;
    }

    public BoundedPool platformPool() {
        return platformPool;
    }

    /** The {@code limited} style: its permits and what holds or waits for them. */
    public LimitedStyle limited() {
        return limited;
    }

    public BoundedPool cpuPool() {
        return cpuPool;
    }

    /** The background jobs: what {@code /jobs} serves, and where other code submits jobs. */
    public JobQueue jobs() {
        return jobs;
    }

    public PinningMonitor pinningMonitor() {
        return pinningMonitor;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        metersLock.lock();
        try {
            if (meters != null) {
                meters.close();
            }
        } finally {
            metersLock.unlock();
        }
        // Helidon's vthreads_* meters read a JFR stream on a non-daemon thread that Helidon stops only in
        // its JVM shutdown hook (4.5 has no API to stop it sooner): a process that closes a showcase and
        // means to end must exit (Main's Ctrl+C or SIGTERM, its System.exit on a failed start, surefire).
        pinningMonitor.close();
        readDeadlines.close();
        recordings.close();
        platformPool.close();
        cpuPool.close();
        eventLoop.close();
        parallelPool.shutdownNow();
        jdbcOffload.close();
        jobs.close();
        database.close();
    }
}
