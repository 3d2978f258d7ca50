package dev.opsdeck.server;

import dev.opsdeck.alert.AlertEngine;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.alert.RootCauses;
import dev.opsdeck.alert.Suppression;
import dev.opsdeck.api.AlertRoutes;
import dev.opsdeck.api.ChannelRoutes;
import dev.opsdeck.api.IncidentRoutes;
import dev.opsdeck.api.IntakeRoutes;
import dev.opsdeck.api.MaintenanceRoutes;
import dev.opsdeck.api.OnCallRoutes;
import dev.opsdeck.api.ReviewRoutes;
import dev.opsdeck.api.SilenceRoutes;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.RunningConfig;
import dev.opsdeck.cluster.Cluster;
import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.gate.Access;
import dev.opsdeck.incident.IncidentManager;
import dev.opsdeck.maintenance.MaintenanceWindows;
import dev.opsdeck.notify.Outbox;
import dev.opsdeck.oncall.OnCall;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.review.Reviews;
import dev.opsdeck.silence.Silences;
import dev.opsdeck.store.Store;
import dev.opsdeck.web.Dashboard;
import dev.opsdeck.web.IncidentPages;
import dev.opsdeck.web.OnCallPages;
import dev.opsdeck.web.ReviewPages;
import dev.opsdeck.web.RunbookChoices;
import dev.opsdeck.web.SilencePages;
import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is told, and when: the outbox that notifies, on-call, incidents and their reviews, and the alert rules that
 * feed them, held back by silences and maintenance windows. All read the running config at each use (reloads
 * apply); the server's address and data directory are read once, at start.
 */
record Paging(
        Outbox outbox,
        OnCall oncall,
        IncidentManager incidents,
        Reviews reviews,
        AutoRuns autoRuns,
        AlertEngine alerts,
        Silences silences,
        MaintenanceWindows maintenance,
        RunningConfig running,
        Clock clock) {
    private static final Logger LOG = LoggerFactory.getLogger(Paging.class);

    static Paging start(
            Blueprint blueprint,
            RunningConfig running,
            Store store,
            Watching watching,
            CheckTypes types,
            Clock clock,
            Started started) {
        OpsdeckConfig config = blueprint.config();
        var registry = watching.registry();
        // notifications: the outbox reads channels from the running config at each use
        Outbox outbox = started.add(new Outbox(
                        store,
                        () -> running.get().channels(),
                        () -> config.server().publicUrl(),
                        registry,
                        clock)
                .spoolIn(config.server().dataDir())
                .start()); // pages while the store is away: data_dir/spool/pages
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
        AlertEngine alerts =
                started.add(new AlertEngine(autoRuns, RootCauses.of(watching.engine()), store, registry, types, clock));
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
        incidents.onInheritedFiring(alerts::restoreFiring); // kept by a killed process: its resolution is still told
        incidents.journalIn(config.server().dataDir()); // alert events the store cannot take: data_dir/spool/alerts
        try {
            reconcile.run();
        } catch (RuntimeException e) { // the store failed just now: the end of that outage runs it again
            LOG.warn("event=alert_reconcile_failed error=\"{}\"", e.toString());
        }
        watching.engine().addListener(alerts);
        return new Paging(outbox, oncall, incidents, reviews, autoRuns, alerts, silences, maintenance, running, clock);
    }

    /**
     * {@code others}: the firing alerts of failed and missed schedule runs and of checklist items no longer proven,
     * listed with the rules' alerts;
     * {@code runbooks}: the runbooks an incident's page offers.
     */
    void register(
            JavalinConfig c,
            Access access,
            Dashboard dashboard,
            Supplier<List<AlertEvent>> others,
            RunbookChoices runbooks,
            Supplier<Set<String>> services) {
        new IncidentRoutes(incidents, access, outbox::deliveriesFor, clock).register(c);
        new IntakeRoutes(incidents, () -> running.get().config().paging().integrations(), access.audit(), clock)
                .register(c);
        new ChannelRoutes(outbox, access.audit()).register(c);
        new AlertRoutes(alerts, others).register(c);
        new SilenceRoutes(silences, access, clock).register(c);
        new ReviewRoutes(reviews, access, clock).register(c);
        new MaintenanceRoutes(maintenance, this::serviceNames, access, clock).register(c);
        new OnCallRoutes(oncall).register(c);
        new IncidentPages(
                        incidents,
                        name -> access.users().find(name).isPresent(),
                        access.audit(),
                        clock,
                        dashboard.assets(),
                        runbooks)
                .register(c, dashboard.nav());
        new ReviewPages(reviews, access.audit(), clock, dashboard.assets()).register(c, dashboard.nav());
        new SilencePages(silences, access.audit(), clock, dashboard.assets()).register(c, dashboard.nav());
        new OnCallPages(oncall, maintenance, services, access.audit(), clock, dashboard.assets())
                .register(c, dashboard.nav());
    }

    /** Escalations, SLA and acknowledgement timers run on the leader only, fenced by its lease. */
    void housekeep(ScheduledExecutorService housekeeping, Cluster cluster) {
        housekeeping.scheduleWithFixedDelay(
                () -> cluster.asLeader("incidents", incidents::tick), 15, 15, TimeUnit.SECONDS); // SLA, ack timeout
        housekeeping.scheduleWithFixedDelay(alerts::releaseEnded, 5, 5, TimeUnit.SECONDS); // silences, windows ended
        housekeeping.scheduleWithFixedDelay(reviews::refresh, 0, 1, TimeUnit.MINUTES); // due/overdue gauges
    }

    /** The services of the running config, which maintenance windows may name. */
    private Set<String> serviceNames() {
        Set<String> out = new LinkedHashSet<>();
        running.get().config().services().forEach(s -> out.add(s.name()));
        return out;
    }
}
