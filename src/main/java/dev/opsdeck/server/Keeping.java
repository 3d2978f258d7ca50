package dev.opsdeck.server;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.api.BackupRoutes;
import dev.opsdeck.api.CredentialRoutes;
import dev.opsdeck.api.DrillRoutes;
import dev.opsdeck.api.ScheduleRoutes;
import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.backup.Backups;
import dev.opsdeck.backup.Drills;
import dev.opsdeck.backup.Jobs;
import dev.opsdeck.blueprint.RunningConfig;
import dev.opsdeck.cluster.Cluster;
import dev.opsdeck.credential.CertificateInventory;
import dev.opsdeck.credential.Credentials;
import dev.opsdeck.credential.Fingerprints;
import dev.opsdeck.credential.InventoryMetrics;
import dev.opsdeck.schedule.Scheduler;
import dev.opsdeck.schedule.StandardTargets;
import dev.opsdeck.store.Store;
import dev.opsdeck.web.BackupPages;
import dev.opsdeck.web.CredentialPages;
import dev.opsdeck.web.Dashboard;
import dev.opsdeck.web.SchedulePages;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What keeps the data and the routine going: backups, the jobs that make them on request, restore drills, and the
 * scheduler that runs backups, drills, runbooks and checks at their times. The scheduler fires nothing until
 * {@link #startSchedules}.
 */
record Keeping(
        Backups backups,
        Jobs backupJobs,
        Drills drills,
        Scheduler scheduler,
        Credentials credentials,
        CertificateInventory certificates,
        Clock clock) {
    private static final Logger LOG = LoggerFactory.getLogger(Keeping.class);

    static Keeping start(
            Store store,
            RunningConfig running,
            Path dataDir,
            Watching watching,
            Paging paging,
            Acting acting,
            String nodeId,
            Clock clock,
            Started started) {
        var registry = watching.registry();
        // backups: targets and their destinations read from the running blueprint at each use; a killed run's
        // leftovers are cleaned now
        Backups backups = started.add(new Backups(
                store,
                () -> running.get().config().keep(),
                () -> running.get().destinations(),
                dataDir,
                paging.outbox(),
                registry,
                clock));
        backups.recover();
        Jobs backupJobs = started.add(new Jobs(clock));
        // restore drills: a run a killed process left behind has its scratch removed now
        Drills drills = started.add(
                new Drills(store, backups, () -> running.get().config().keep(), paging.outbox(), registry, clock));
        drills.recover();
        // schedules: each fire time is claimed in the store (once across nodes sharing it); they run the backups,
        // drills, runbooks and checks of the running config and page failed and missed runs through the incidents
        Scheduler scheduler = started.add(new Scheduler(
                store,
                () -> running.get().config().keep().schedules(),
                new StandardTargets(
                        backups, acting.runbooks(), id -> running.get().checks().get(id), drills),
                paging.incidents(),
                registry,
                clock,
                nodeId));
        // the credential and certificate inventory: fingerprints under this installation's key, alerts through the
        // incidents like every other alert
        Fingerprints fingerprints;
        try {
            fingerprints = Fingerprints.in(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the credential key in " + dataDir, e);
        }
        InventoryMetrics inventoryMetrics = new InventoryMetrics(registry);
        Credentials credentials = new Credentials(
                store,
                () -> running.get().config().credentials(),
                fingerprints,
                System::getenv,
                paging.incidents(),
                inventoryMetrics,
                clock);
        CertificateInventory certificates = new CertificateInventory(
                store, () -> running.get().config(), paging.incidents(), inventoryMetrics, clock);
        return new Keeping(backups, backupJobs, drills, scheduler, credentials, certificates, clock);
    }

    /** Starts firing schedules: only after the engine applied the config, since check targets need its checks. */
    void startSchedules() {
        scheduler.start();
    }

    /** The alerts that fire now for failed or missed schedule runs, overdue credentials and expiring certificates. */
    List<AlertEvent> firing() {
        List<AlertEvent> out = new ArrayList<>(scheduler.firing());
        out.addAll(credentials.firing());
        out.addAll(certificates.firing());
        return out;
    }

    void register(JavalinConfig c, AuditLog audit, Dashboard dashboard) {
        new BackupRoutes(backups, drills, backupJobs, audit, clock).register(c);
        new DrillRoutes(drills, audit).register(c);
        new ScheduleRoutes(scheduler, audit).register(c);
        new BackupPages(backups, drills, audit, clock, dashboard.assets()).register(c, dashboard.nav());
        new SchedulePages(scheduler, clock, dashboard.assets()).register(c, dashboard.nav());
        new CredentialRoutes(credentials, certificates, audit, clock).register(c);
        new CredentialPages(credentials, certificates, clock, dashboard.assets()).register(c, dashboard.nav());
    }

    /**
     * Copy retries run on the leader only, fenced by its lease; every node refreshes its credential inventory (what
     * its API shows), and the store's alert keys fire each threshold once across nodes.
     */
    void housekeep(ScheduledExecutorService housekeeping, Cluster cluster) {
        housekeeping.scheduleWithFixedDelay(
                () -> cluster.asLeader("backup copies", this::retryUploads), 1, 1, TimeUnit.MINUTES);
        housekeeping.scheduleWithFixedDelay(() -> quietly("credential", credentials::refresh), 0, 1, TimeUnit.MINUTES);
    }

    /**
     * Certificates refresh on a thread of their own at the lowest priority: reading thousands of files or waiting
     * on slow handshakes never holds up the housekeeping beat or the probes. It looks every minute whether
     * {@code certificates.refresh_every} has passed, so a reload changing it applies at once.
     */
    void refreshCertificates(Started started, RunningConfig running) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("opsdeck-certificates")
                .priority(Thread.MIN_PRIORITY)
                .daemon()
                .factory());
        started.add(timer::shutdownNow);
        timer.scheduleWithFixedDelay(
                () -> {
                    long every =
                            running.get().config().credentials().refreshEvery().toMillis();
                    if (clock.millis() - certificates.refreshedMs() >= every) {
                        quietly("certificate", certificates::refresh);
                    }
                },
                0,
                1,
                TimeUnit.MINUTES);
    }

    private static void quietly(String what, Runnable refresh) {
        try {
            refresh.run();
        } catch (RuntimeException e) {
            LOG.warn("event={}_refresh_failed error=\"{}\"", what, e.toString());
        }
    }

    /** Uploads that failed (S3 down) are retried when their backoff has passed. */
    private void retryUploads() {
        try {
            backups.retryUploads();
        } catch (Exception e) {
            LOG.warn("event=backup_retry_failed error=\"{}\"", e.toString());
        }
    }
}
