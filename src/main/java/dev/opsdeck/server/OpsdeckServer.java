package dev.opsdeck.server;

import dev.opsdeck.alert.AlertEngine;
import dev.opsdeck.api.ClusterRoutes;
import dev.opsdeck.auth.Bootstrap;
import dev.opsdeck.auth.Permission;
import dev.opsdeck.backup.Backups;
import dev.opsdeck.backup.Drills;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.blueprint.ConfigWatcher;
import dev.opsdeck.blueprint.RunningConfig;
import dev.opsdeck.checklist.Checklists;
import dev.opsdeck.cluster.Cluster;
import dev.opsdeck.cluster.NodeIdentity;
import dev.opsdeck.cluster.Nodes;
import dev.opsdeck.config.BuildVersion;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.Json;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.deploy.Deploys;
import dev.opsdeck.doctor.Doctor;
import dev.opsdeck.gate.Access;
import dev.opsdeck.gate.Gate;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.monitor.MonitorEngine;
import dev.opsdeck.network.ServerTls;
import dev.opsdeck.notify.Outbox;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.schedule.Scheduler;
import dev.opsdeck.store.ResultWriter;
import dev.opsdeck.store.Store;
import dev.opsdeck.web.ClusterPages;
import dev.opsdeck.web.Dashboard;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import io.javalin.security.Roles;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole server wired in one place, top to bottom: compile the config, open the store, then the groups of
 * capabilities in the order each needs the ones before (guarding, watching, paging, acting, keeping), the checks
 * and the config watcher, HTTP with every group's routes and pages, and the housekeeping beat. No classpath
 * scanning and no container: what runs is what is written here.
 */
public final class OpsdeckServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsdeckServer.class);

    private final Started started;
    private final RunningConfig running;
    private final Guarding guarding;
    private final Watching watching;
    private final Paging paging;
    private final Acting acting;
    private final Keeping keeping;
    private final Proving proving;
    private final ConfigWatcher watcher;
    private final Javalin http;
    private final Cluster cluster;

    private OpsdeckServer(
            Started started,
            RunningConfig running,
            Guarding guarding,
            Watching watching,
            Paging paging,
            Acting acting,
            Keeping keeping,
            Proving proving,
            ConfigWatcher watcher,
            Javalin http,
            Cluster cluster) {
        this.started = started;
        this.running = running;
        this.guarding = guarding;
        this.watching = watching;
        this.paging = paging;
        this.acting = acting;
        this.keeping = keeping;
        this.proving = proving;
        this.watcher = watcher;
        this.http = http;
        this.cluster = cluster;
    }

    /** Options that the command line may override. */
    public record Options(Integer port, long reloadPollMillis) {
        public static Options defaults() {
            return new Options(null, 1_000);
        }
    }

    /**
     * Loads the config and starts everything. Throws {@link ConfigException} for a bad config and
     * {@link dev.opsdeck.store.StoreException} when the store cannot be opened (both with user-facing messages).
     */
    public static OpsdeckServer start(Path configPath, Options options) throws ConfigException {
        FastStart.tellJettyTheCacheLine();
        Clock clock = Clock.systemUTC();
        Compiler compiler = Compiler.standard();
        Blueprint blueprint = compiler.load(configPath);
        RunningConfig running = new RunningConfig(blueprint);
        OpsdeckConfig config = blueprint.config();
        // on a failure half-way (store down, port taken) close what already runs, in reverse order
        Started started = new Started();
        try {
            // the production profile refuses before it creates anything: no data_dir, store or admin from a refused
            // start
            if (config.runtime().production()) StartRefused.on(Doctor.configurationBlockers(config));
            Store store = started.add(Store.open(config.store(), config.server().dataDir()));
            LOG.info("event=store_opened store=\"{}\"", store.description());
            // this node among the nodes sharing the store (refused on an embedded store another node uses), before
            // anything else writes to it; what each heartbeat reports is known once the checks and HTTP run
            AtomicReference<Supplier<Nodes.Beat>> beat = new AtomicReference<>(() ->
                    new Nodes.Beat(null, BuildVersion.current(), running.get().checksHash(), 0));
            Cluster cluster = started.add(Cluster.join(
                    store, NodeIdentity.of(config.server()), () -> beat.get().get()));

            Guarding guarding = Guarding.start(store, config, clock);
            Watching watching = Watching.start(store, clock, started);
            Paging paging = Paging.start(blueprint, running, store, watching, compiler.checkTypes(), clock, started);
            Acting acting = Acting.start(store, running, compiler.checkTypes(), watching, paging, clock, started);
            Keeping keeping = Keeping.start(
                    store,
                    running,
                    config.server().dataDir(),
                    watching,
                    paging,
                    acting,
                    cluster.nodeId(),
                    clock,
                    started);
            Proving proving =
                    Proving.start(store, guarding, running, watching, paging, acting, keeping, cluster, clock, started);

            // the checks are shared among the live nodes; alerts follow the checks this node probes
            watching.engine().share(cluster::owns);
            paging.alerts().share(cluster::owns);
            cluster.onMembership(nodes -> paging.alerts().share(cluster::owns));
            cluster.bindMetrics(watching.registry(), watching.engine()::ownedCount);
            watching.run(blueprint, started);
            ConfigWatcher watcher = started.add(new ConfigWatcher(
                    configPath, compiler, next -> reloaded(next, running, watching, paging, guarding)));
            watcher.start(blueprint, options.reloadPollMillis());

            Dashboard dashboard = new Dashboard(
                    watching.engine(), watching.history(), watching.uptime(), watcher, acting.deploys(), clock);
            Javalin http = Javalin.create(c -> {
                configureServer(c, config, options);
                guarding.guard(c);
                watching.register(c, watcher, dashboard, cluster::configProblem, acting.doraMetrics());
                new ClusterRoutes(cluster).register(c);
                new ClusterPages(() -> ClusterStatus.of(cluster), dashboard.assets()).register(c, dashboard.nav());
                guarding.register(c, watcher, dashboard);
                // alerts of failed and missed schedule runs, overdue credentials, expiring certificates and checklist
                // items no longer proven are listed with the rules' alerts
                paging.register(
                        c,
                        guarding.access(),
                        dashboard,
                        () -> Stream.concat(keeping.firing().stream(), proving.firing().stream())
                                .toList(),
                        acting.choices(),
                        watching::serviceNames);
                acting.register(c, guarding.access(), dashboard);
                keeping.register(c, guarding.access().audit(), dashboard);
                proving.register(c, guarding.access().audit(), dashboard);
            });
            http.start();
            started.add(http::stop);

            guarding.awaitBootstrap();
            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("opsdeck-housekeeping").daemon().factory());
            started.add(housekeeping::shutdownNow);
            guarding.housekeep(housekeeping, cluster);
            watching.housekeep(housekeeping, running, cluster);
            paging.housekeep(housekeeping, cluster);
            acting.housekeep(housekeeping);
            keeping.housekeep(housekeeping, cluster);
            keeping.refreshCertificates(started, running);
            keeping.startSchedules();
            proving.startSchedules();

            OpsdeckServer server = new OpsdeckServer(
                    started, running, guarding, watching, paging, acting, keeping, proving, watcher, http, cluster);
            beat.set(() -> new Nodes.Beat(
                    server.url(),
                    BuildVersion.current(),
                    running.get().checksHash(),
                    watching.engine().ownedCount()));
            cluster.start();
            paging.outbox().warmUp(URI.create(server.url() + "/health"));
            LOG.info(
                    "event=started url={} checks={}",
                    server.url(),
                    watching.engine().checkCount());
            return server;
        } catch (RuntimeException e) {
            blueprint.close();
            started.closeAll(e);
            throw e;
        }
    }

    /** JSON, the address to listen on and TLS: the server itself, before any route. */
    private static void configureServer(JavalinConfig c, OpsdeckConfig config, Options options) {
        int port = options.port() != null ? options.port() : config.server().port();
        c.jsonMapper(new JavalinJackson(Json.API, false));
        c.startup.showJavalinBanner = false;
        c.jetty.host = config.server().bind();
        c.jetty.port = port;
        if (config.server().tls() != null)
            ServerTls.configure(c, config.server().tls(), config.server().bind(), port);
    }

    public int port() {
        return http.port();
    }

    public String url() {
        String host = running.get().config().server().bind();
        if (host.equals("0.0.0.0") || host.equals("::")) host = "127.0.0.1";
        String scheme = running.get().config().server().tls() != null ? "https://" : "http://";
        return scheme + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** One HTTP route as registered, with the permission it declares (null: none, which the gate refuses). */
    public record Route(String method, String path, Permission permission) {}

    /** Every HTTP route of this server: what the RBAC matrix test walks. */
    public List<Route> routes() {
        return http.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint)
                .filter(e -> !e.method.name().startsWith("BEFORE")
                        && !e.method.name().startsWith("AFTER"))
                .map(e -> {
                    Roles roles = e.metadata(Roles.class);
                    return new Route(
                            e.method.name(), e.path, Gate.permissionOf(roles == null ? Set.of() : roles.getRoles()));
                })
                .toList();
    }

    /** Where the bootstrap admin's password waits until it is changed (the file may not exist). */
    public Path initialPasswordFile() {
        return access().dataDir().resolve(Bootstrap.FILE_NAME);
    }

    /** Users, sessions, API keys and the audit log of this server. */
    public Access access() {
        return guarding.access();
    }

    public MonitorEngine engine() {
        return watching.engine();
    }

    /** Alert rules and the alerts they raised. */
    public AlertEngine alerts() {
        return paging.alerts();
    }

    /** Incidents: the sink alert rules send their events to. */
    public IncidentManager incidents() {
        return paging.incidents();
    }

    /** The notifier (outbox) incidents send through; also answers where each message's delivery stands. */
    public Outbox notifier() {
        return paging.outbox();
    }

    /** Runbooks and their runs. */
    public Runbooks runbooks() {
        return acting.runbooks();
    }

    /** Deploys and their evidence. */
    public Deploys deploys() {
        return acting.deploys();
    }

    /** Schedules, their next fire times and their runs. */
    public Scheduler scheduler() {
        return keeping.scheduler();
    }

    /** Restore drills: run one with {@code drills().run(name, actor)}. */
    public Drills drills() {
        return keeping.drills();
    }

    /** Backup targets, their history, and the backups being made. */
    public Backups backups() {
        return keeping.backups();
    }

    /** Readiness checklists: run one with {@code checklists().run(name, cause, actor)}. */
    public Checklists checklists() {
        return proving.checklists();
    }

    /** This node among the nodes sharing the store. */
    public Cluster cluster() {
        return cluster;
    }

    public ConfigWatcher watcher() {
        return watcher;
    }

    public ResultWriter writer() {
        return watching.writer();
    }

    /** A reloaded blueprint: swapped in, then the checks and the alert rules follow it; audited. */
    private static void reloaded(
            Blueprint next, RunningConfig running, Watching watching, Paging paging, Guarding guarding) {
        warnAboutRestartOnlyChanges(running.swap(next), next);
        watching.apply(next);
        paging.alerts().apply(next.config(), next.checks());
        guarding.access()
                .audit()
                .record(
                        "opsdeck",
                        "local",
                        "config.applied",
                        "config",
                        "ok",
                        Map.of("checks", next.checks().size()));
    }

    /** server: and store: are read once at start; say so instead of silently ignoring an edit. */
    private static void warnAboutRestartOnlyChanges(Blueprint running, Blueprint next) {
        if (!running.config().server().equals(next.config().server())) {
            LOG.warn("event=restart_required section=server note=\"server: changes apply at the next start\"");
        }
        if (!running.config().store().url().equals(next.config().store().url())
                || running.config().store().poolSize() != next.config().store().poolSize()) {
            LOG.warn("event=restart_required section=store note=\"store: changes apply at the next start\"");
        }
    }

    /**
     * Stops in reverse start order: housekeeping, HTTP, the config watcher, the checks, then schedules (a run cut
     * off is marked failed at this node's next start), drills and backups (a backup cut short is marked failed at
     * the next start), runbook runs, alert rules (committing alert state changes still queued), the outbox
     * (attempts in flight get 2 s; the rest resume from the outbox at the next start), the writer, this node's
     * cluster row (marked stopped, the leader lease given up, so the other nodes take over at once) and the store.
     */
    @Override
    public void close() {
        long stopping = System.nanoTime();
        LOG.info("event=stopping");
        started.closeAll(null);
        LOG.info("event=stopped took_ms={}", (System.nanoTime() - stopping) / 1_000_000);
    }
}
