package dev.opsdeck.server;

import dev.opsdeck.alert.AlertEngine;
import dev.opsdeck.alert.RootCauses;
import dev.opsdeck.alert.Suppression;
import dev.opsdeck.api.AccessRoutes;
import dev.opsdeck.api.AlertRoutes;
import dev.opsdeck.api.ApiRoutes;
import dev.opsdeck.api.BackupRoutes;
import dev.opsdeck.api.ChannelRoutes;
import dev.opsdeck.api.DrillRoutes;
import dev.opsdeck.api.IncidentRoutes;
import dev.opsdeck.api.IntakeRoutes;
import dev.opsdeck.api.MaintenanceRoutes;
import dev.opsdeck.api.OnCallRoutes;
import dev.opsdeck.api.ReviewRoutes;
import dev.opsdeck.api.RunbookRoutes;
import dev.opsdeck.api.ScheduleRoutes;
import dev.opsdeck.api.SilenceRoutes;
import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.auth.ApiKeys;
import dev.opsdeck.auth.Bootstrap;
import dev.opsdeck.auth.Permission;
import dev.opsdeck.auth.Sessions;
import dev.opsdeck.auth.Users;
import dev.opsdeck.backup.Backups;
import dev.opsdeck.backup.Drills;
import dev.opsdeck.backup.Jobs;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.blueprint.ConfigWatcher;
import dev.opsdeck.blueprint.RunningConfig;
import dev.opsdeck.config.Cidr;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.Json;
import dev.opsdeck.config.MonitoringConfig;
import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.doctor.BootstrapState;
import dev.opsdeck.doctor.Doctor;
import dev.opsdeck.doctor.Finding;
import dev.opsdeck.gate.Access;
import dev.opsdeck.gate.Gate;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.maintenance.MaintenanceWindows;
import dev.opsdeck.monitor.MonitorEngine;
import dev.opsdeck.monitor.MonitorMetrics;
import dev.opsdeck.network.ClientAddress;
import dev.opsdeck.network.NetworkGuard;
import dev.opsdeck.network.ServerTls;
import dev.opsdeck.notify.Outbox;
import dev.opsdeck.oncall.OnCall;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.review.Reviews;
import dev.opsdeck.runbook.RunbookMetrics;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.schedule.Scheduler;
import dev.opsdeck.schedule.StandardTargets;
import dev.opsdeck.silence.Silences;
import dev.opsdeck.store.HistoryRepository;
import dev.opsdeck.store.ResultWriter;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.StoredState;
import dev.opsdeck.web.Dashboard;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.javalin.security.Roles;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole server wired in one place, top to bottom: config, store, engine, watcher, HTTP.
 * No classpath scanning and no container: what runs is what is written here.
 */
public final class OpsdeckServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsdeckServer.class);

    private final Store store;
    private final ResultWriter writer;
    private final MonitorEngine engine;
    private final RunningConfig running;
    private final ConfigWatcher watcher;
    private final Javalin http;
    private final ScheduledExecutorService housekeeping;
    private final Access access;
    private Outbox outbox; // set once at the end of start()
    private IncidentManager incidents; // set once at the end of start()
    private AlertEngine alerts; // set once at the end of start()
    private Backups backups; // set once at the end of start()
    private Jobs backupJobs; // set once at the end of start()
    private Drills drills; // set once at the end of start()
    private Runbooks runbooks; // set once at the end of start()
    private Scheduler scheduler; // set once at the end of start()

    private OpsdeckServer(
            Store store,
            ResultWriter writer,
            MonitorEngine engine,
            RunningConfig running,
            ConfigWatcher watcher,
            Javalin http,
            ScheduledExecutorService housekeeping,
            Access access) {
        this.access = access;
        this.store = store;
        this.writer = writer;
        this.engine = engine;
        this.running = running;
        this.watcher = watcher;
        this.http = http;
        this.housekeeping = housekeeping;
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
        CheckTypes types = compiler.checkTypes();
        Blueprint blueprint = compiler.load(configPath);
        RunningConfig running = new RunningConfig(blueprint);
        var config = blueprint.config();

        // on a failure half-way (store down, port taken) close what already runs, in reverse order
        List<AutoCloseable> started = new ArrayList<>();
        try {
            // the production profile refuses before it creates anything: no data_dir, store or admin from a refused
            // start
            if (config.runtime().production()) refuse(Doctor.configurationBlockers(config));
            Store store = Store.open(config.store(), config.server().dataDir());
            started.add(store);
            LOG.info("event=store_opened store=\"{}\"", store.description());
            HistoryRepository history = new HistoryRepository(store);
            Access access = access(store, config, clock);
            // only the store knows whether the bootstrap is done; asked before the bootstrap below could create an
            // admin
            if (config.runtime().production()) refuse(Doctor.bootstrapBlockers(config, bootstrapState(access)));
            // the first start hashes a new admin password (Argon2id, ~0.5 s on a cold JVM): let it run while
            // the engine and HTTP start, and wait for it before the server counts as started
            var bootstrap = java.util.concurrent.CompletableFuture.runAsync(
                    () -> Bootstrap.ensureAdmin(access.users(), config.server().dataDir()),
                    task -> Thread.ofVirtual().name("opsdeck-bootstrap").start(task));
            ResultWriter writer = new ResultWriter(store, 200_000);
            started.add(writer);

            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            // binder meters whose names fail `promtool check metrics` (unit "ns", a gauge ending in _count);
            // process_cpu_usage and system_cpu_usage still cover the CPU
            registry.config()
                    .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")
                            || id.getName().equals("system.cpu.count")));
            new JvmMemoryMetrics().bindTo(registry);
            new JvmGcMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);

            MonitorEngine engine = new MonitorEngine(writer, new MonitorMetrics(registry), clock);
            // Page: notifications (outbox), incidents and alert rules are wired here, in that order,
            // each feature adding its lines below this comment.
            // notifications: the outbox reads channels from the running config at each use (reloads apply)
            Outbox outbox = new Outbox(
                            store,
                            () -> running.get().config().paging().channels(),
                            () -> config.server().publicUrl(),
                            registry,
                            clock)
                    .spoolIn(config.server().dataDir())
                    .start(); // pages while the store is away: data_dir/spool/pages
            started.add(outbox);
            // on-call: contacts, rotations, escalation policies and maintenance windows of the running config
            Supplier<OnCallConfig> oncallConfig =
                    () -> running.get().config().paging().oncall();
            OnCall oncall = new OnCall(oncallConfig, clock);
            // incidents: alert events grouped into incidents, told to incidents.notify through the outbox, and
            // paged along the escalation policy snapshotted when each opens, started when it first pages
            IncidentManager incidents = new IncidentManager(
                    store,
                    outbox,
                    () -> running.get().config().paging().incidents(),
                    oncallConfig,
                    () -> config.server().publicUrl(),
                    registry,
                    clock);
            outbox.onResult(incidents::delivered); // delivery results land on the incident's timeline
            // reviews: resolved P1/P2 incidents owe a post-incident review; due and overdue counts for /metrics
            Reviews reviews = new Reviews(
                    store,
                    incidents,
                    () -> running.get().config().paging().incidents().review(),
                    registry,
                    clock);
            // alert rules: judge every result; firing and resolved alerts go to the incident manager
            // auto-run: a firing alert that opted in (auto_run: true) starts its runbook, linked to the incident
            AutoRuns autoRuns = new AutoRuns(incidents, () -> running.get().config());
            AlertEngine alerts = new AlertEngine(autoRuns, RootCauses.of(engine), store, registry, types, clock);
            started.add(alerts);
            // silences: a firing alert that an active silence matches is recorded, not paged
            Silences silences = new Silences(store, clock);
            // maintenance windows: the same, for every alert of the services a window in force covers
            MaintenanceWindows maintenance = new MaintenanceWindows(store, oncallConfig, clock);
            alerts.suppressWith(Suppression.first(silences, maintenance));
            // an alert they held that still fires pages once they end: at once when ended by hand, else at the beat
            silences.onEnded(alerts::releaseEnded);
            maintenance.onEnded(alerts::releaseEnded);
            alerts.apply(blueprint.config(), blueprint.checks());
            // firing alerts without their incident (a kill or a store failure between the two) are told again,
            // now and each time the store answers again after an outage
            Runnable reconcile = () -> alerts.refire(a -> !incidents.recorded(a.fingerprint(), a.sinceMs()));
            incidents.onRecovery(reconcile);
            incidents.onInheritedFiring(
                    alerts::restoreFiring); // kept by a killed process: its resolution is still told
            incidents.journalIn(config.server().dataDir()); // alert events the store cannot take: data_dir/spool/alerts
            try {
                reconcile.run();
            } catch (RuntimeException e) { // the store failed just now: the end of that outage runs it again
                LOG.warn("event=alert_reconcile_failed error=\"{}\"", e.toString());
            }
            engine.addListener(alerts);
            // Act: runbooks and their runs are wired here.
            // runbooks: read the running config at each use (reloads apply); runs linked to an incident note its
            // timeline
            RunbookMetrics[] runbookMetrics = new RunbookMetrics[1]; // made once the service exists
            Runbooks runbooks = new Runbooks(
                    store,
                    () -> running.get().config().runbooks(),
                    types,
                    id -> running.get().checks().get(id),
                    outbox,
                    run -> {
                        RunTimeline.note(incidents, run);
                        if (!run.status().active() && runbookMetrics[0] != null) runbookMetrics[0].refresh();
                    },
                    clock);
            runbooks.markInterrupted(); // runs a previous process left running were cut short
            runbookMetrics[0] = new RunbookMetrics(runbooks, registry);
            autoRuns.use(runbooks);
            started.add(runbooks);
            // Keep: schedules, backups and restore drills are wired here.
            // backups: targets read from the running config at each use; a killed run's leftovers are cleaned now
            Backups backups = new Backups(
                    store, () -> running.get().config().keep(), config.server().dataDir(), outbox, registry, clock);
            started.add(backups);
            backups.recover();
            Jobs backupJobs = new Jobs(clock);
            started.add(backupJobs);
            // restore drills: a run a killed process left behind has its scratch removed now
            Drills drills =
                    new Drills(store, backups, () -> running.get().config().keep(), outbox, registry, clock);
            started.add(drills);
            drills.recover();
            // schedules: each fire time is claimed in the store (once across nodes sharing it); they run the backups,
            // drills, runbooks and checks of the running config and page failed and missed runs through the incidents
            Scheduler scheduler = new Scheduler(
                    store,
                    () -> running.get().config().keep().schedules(),
                    new StandardTargets(
                            backups, runbooks, id -> running.get().checks().get(id), drills),
                    incidents,
                    registry,
                    clock,
                    Scheduler.localNode());
            started.add(scheduler);
            started.add(engine);
            engine.apply(blueprint.config(), blueprint.checks(), storedStates(history));
            ConfigWatcher watcher = new ConfigWatcher(configPath, compiler, next -> {
                warnAboutRestartOnlyChanges(running.swap(next), next);
                engine.apply(next.config(), next.checks(), storedStates(history));
                alerts.apply(next.config(), next.checks());
                access.audit()
                        .record(
                                "opsdeck",
                                "local",
                                "config.applied",
                                "config",
                                "ok",
                                Map.of("checks", next.checks().size()));
            });
            watcher.start(blueprint, options.reloadPollMillis());
            started.add(watcher);

            ApiRoutes api = new ApiRoutes(engine, history, watcher, registry, () -> readiness(store, writer), clock);
            Dashboard dashboard = new Dashboard(engine, history, watcher, clock);
            NetworkGuard network = new NetworkGuard(config.network(), clock);
            Gate gate = new Gate(access.sessions(), access.apiKeys(), config.auth(), network::admitKey);
            int port = options.port() != null ? options.port() : config.server().port();
            Javalin http = Javalin.create(c -> {
                c.jsonMapper(new JavalinJackson(Json.API, false));
                c.startup.showJavalinBanner = false;
                c.jetty.host = config.server().bind();
                c.jetty.port = port;
                if (config.server().tls() != null)
                    ServerTls.configure(
                            c, config.server().tls(), config.server().bind(), port);
                network.register(c);
                gate.register(c);
                api.register(c);
                new AccessRoutes(access, watcher).register(c);
                new IncidentRoutes(incidents, access, outbox::deliveriesFor, clock).register(c);
                new IntakeRoutes(
                                incidents, () -> running.get().config().paging().integrations(), access.audit(), clock)
                        .register(c);
                new ChannelRoutes(outbox, access.audit()).register(c);
                new AlertRoutes(alerts, scheduler::firing).register(c); // schedules page too: their alerts are listed
                new SilenceRoutes(silences, access, clock).register(c);
                new ReviewRoutes(reviews, access, clock).register(c);
                new MaintenanceRoutes(maintenance, () -> serviceNames(running.get()), access, clock).register(c);
                new OnCallRoutes(oncall).register(c);
                // Act and Keep: their API routes and pages are registered here.
                new BackupRoutes(backups, drills, backupJobs, access.audit(), clock).register(c);
                new DrillRoutes(drills, access.audit()).register(c);
                new RunbookRoutes(runbooks, access).register(c);
                new ScheduleRoutes(scheduler, access.audit()).register(c);
                dashboard.register(c);
                dashboard.registerAccess(c, access, clock);
                dashboard.registerIncidents(
                        c, incidents, name -> access.users().find(name).isPresent(), access.audit(), clock);
                dashboard.registerReviews(c, reviews, access.audit(), clock);
                dashboard.registerSilences(c, silences, access.audit(), clock);
                dashboard.registerBackups(c, backups, drills, access.audit(), clock);
                dashboard.registerSchedules(c, scheduler, clock);
                dashboard.registerRunbooks(c, runbooks, incidents, access.audit(), clock);
                dashboard.registerOnCall(c, oncall, maintenance, access.audit(), clock);
            });
            http.start();
            started.add(http::stop);

            await(bootstrap);
            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("opsdeck-housekeeping").daemon().factory());
            housekeeping.scheduleWithFixedDelay(() -> prune(history, running, clock), 1, 10, TimeUnit.MINUTES);
            housekeeping.scheduleWithFixedDelay(() -> pruneSessions(access), 5, 10, TimeUnit.MINUTES);
            housekeeping.scheduleWithFixedDelay(incidents::tick, 15, 15, TimeUnit.SECONDS); // SLA, ack timeout, metrics
            housekeeping.scheduleWithFixedDelay(
                    alerts::releaseEnded, 5, 5, TimeUnit.SECONDS); // silences, windows ended
            housekeeping.scheduleWithFixedDelay(reviews::refresh, 0, 1, TimeUnit.MINUTES); // due/overdue gauges
            housekeeping.scheduleWithFixedDelay(() -> retryUploads(backups), 1, 1, TimeUnit.MINUTES);
            housekeeping.scheduleWithFixedDelay(runbookMetrics[0]::refresh, 1, 1, TimeUnit.MINUTES); // "untested" ages
            scheduler.start(); // after the engine applied the config: check targets need its compiled checks
            OpsdeckServer server =
                    new OpsdeckServer(store, writer, engine, running, watcher, http, housekeeping, access);
            server.outbox = outbox;
            server.incidents = incidents;
            server.alerts = alerts;
            server.backups = backups;
            server.backupJobs = backupJobs;
            server.drills = drills;
            server.runbooks = runbooks;
            server.scheduler = scheduler;
            outbox.warmUp(java.net.URI.create(server.url() + "/health"));
            LOG.info("event=started url={} checks={}", server.url(), engine.checkCount());
            return server;
        } catch (RuntimeException e) {
            blueprint.close();
            for (AutoCloseable c : started.reversed()) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
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
        return access.dataDir().resolve(Bootstrap.FILE_NAME);
    }

    /** Users, sessions, API keys and the audit log of this server. */
    public Access access() {
        return access;
    }

    public MonitorEngine engine() {
        return engine;
    }

    /** Alert rules and the alerts they raised. */
    public AlertEngine alerts() {
        return alerts;
    }

    /** Incidents: the sink alert rules send their events to. */
    public IncidentManager incidents() {
        return incidents;
    }

    /** The notifier (outbox) incidents send through; also answers where each message's delivery stands. */
    public Outbox notifier() {
        return outbox;
    }

    /** Runbooks and their runs. */
    public Runbooks runbooks() {
        return runbooks;
    }

    /** Schedules, their next fire times and their runs. */
    public Scheduler scheduler() {
        return scheduler;
    }

    public ConfigWatcher watcher() {
        return watcher;
    }

    public ResultWriter writer() {
        return writer;
    }

    private static Access access(Store store, OpsdeckConfig config, Clock clock) {
        List<Cidr> proxies = config.network().trustedProxies();
        return new Access(
                new Users(store, config.auth(), clock),
                new Sessions(store, config.auth(), clock),
                new ApiKeys(store, clock),
                new AuditLog(store, clock),
                config.auth(),
                config.server().dataDir(),
                ctx -> ClientAddress.secure(ctx, proxies));
    }

    /**
     * The bootstrap state read from the store (not from the file, which anyone could delete): an admin who still
     * must change the bootstrap password, or no user at all, blocks the production profile.
     */
    private static BootstrapState bootstrapState(Access access) {
        try {
            // a store administered by a service-account key (opsdeck apikey bootstrap) has no password to change
            if (!access.users().any()) {
                return access.users().administeredByServiceAccount() ? BootstrapState.CHANGED : BootstrapState.NEW;
            }
            return access.users()
                            .find(Bootstrap.ADMIN)
                            .map(u -> u.mustChangePassword())
                            .orElse(false)
                    ? BootstrapState.PENDING
                    : BootstrapState.CHANGED;
        } catch (RuntimeException e) {
            return BootstrapState.UNKNOWN;
        }
    }

    /** Refuses to start on any failed item of the production checklist, one line each. */
    private static void refuse(List<Finding> blockers) {
        if (!blockers.isEmpty()) throw new StartRefused(Doctor.describe(blockers));
    }

    /** Waits for a start-up task; its own exception (e.g. the store's) comes out as thrown, not wrapped. */
    private static void await(java.util.concurrent.CompletableFuture<Void> task) {
        try {
            task.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /** Uploads that failed (S3 down) are retried when their backoff has passed. */
    private static void retryUploads(Backups backups) {
        try {
            backups.retryUploads();
        } catch (Exception e) {
            LOG.warn("event=backup_retry_failed error=\"{}\"", e.toString());
        }
    }

    /** Restore drills: run one with {@code drills().run(name, actor)}. */
    public Drills drills() {
        return drills;
    }

    /** Backup targets, their history, and the backups being made. */
    public Backups backups() {
        return backups;
    }

    private static void pruneSessions(Access access) {
        try {
            int n = access.sessions().prune();
            if (n > 0) LOG.info("event=sessions_pruned rows={}", n);
        } catch (Exception e) {
            LOG.warn("event=session_prune_failed error=\"{}\"", e.toString());
        }
    }

    private static List<String> readiness(Store store, ResultWriter writer) {
        List<String> problems = new ArrayList<>();
        String storeProblem = store.problem();
        if (storeProblem != null) problems.add(storeProblem);
        // also while the store answers a ping: the writer's error often names the cause more precisely
        if (writer.lastError() != null) problems.add("store writes failing: " + writer.lastError());
        return problems;
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

    private static Map<String, StoredState> storedStates(HistoryRepository history) {
        Map<String, StoredState> out = new HashMap<>();
        try {
            history.states().forEach(s -> out.put(s.checkId(), s));
        } catch (Exception e) {
            LOG.warn("event=state_restore_failed error=\"{}\"", e.toString());
        }
        return out;
    }

    private static java.util.Set<String> serviceNames(Blueprint bp) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        bp.config().services().forEach(s -> out.add(s.name()));
        return out;
    }

    private static void prune(HistoryRepository history, RunningConfig running, Clock clock) {
        MonitoringConfig m = running.get().config().monitoring();
        try {
            int n = history.prune(
                    clock.millis(),
                    new HistoryRepository.Retention(
                            m.rawRetention().toMillis(),
                            m.minuteRetention().toMillis(),
                            m.hourRetention().toMillis(),
                            m.dayRetention().toMillis()));
            if (n > 0) LOG.info("event=history_pruned rows={}", n);
        } catch (Exception e) {
            LOG.warn("event=history_prune_failed error=\"{}\"", e.toString());
        }
    }

    @Override
    public void close() {
        long stopping = System.nanoTime();
        LOG.info("event=stopping");
        housekeeping.shutdownNow();
        watcher.close();
        http.stop();
        if (scheduler != null) scheduler.close(); // a run cut off here is marked failed at this node's next start
        engine.close();
        if (runbooks != null) runbooks.close();
        if (alerts != null) alerts.close(); // commits alert state changes still queued
        if (backupJobs != null) backupJobs.close();
        if (backups != null) backups.close(); // a backup cut short is marked failed at the next start
        if (outbox != null)
            outbox.close(); // attempts in flight get 2 s; the rest resume from the outbox at the next start
        writer.close();
        store.close();
        LOG.info("event=stopped took_ms={}", (System.nanoTime() - stopping) / 1_000_000);
    }
}
