package dev.opsdeck.server;

import dev.opsdeck.api.ChecklistRoutes;
import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.backup.Backup;
import dev.opsdeck.backup.CompiledDestination;
import dev.opsdeck.backup.DrillResult;
import dev.opsdeck.blueprint.RunningConfig;
import dev.opsdeck.checklist.BootstrapState;
import dev.opsdeck.checklist.ChecklistSources;
import dev.opsdeck.checklist.Checklists;
import dev.opsdeck.cluster.Cluster;
import dev.opsdeck.config.DrillDef;
import dev.opsdeck.monitor.ServiceStatus;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.store.Store;
import dev.opsdeck.web.ChecklistPages;
import dev.opsdeck.web.Dashboard;
import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What proves the stack is ready: the readiness checklists. Their items read what the other groups know (the
 * checks' latest results, verified backups, passed drills, runbook runs, this node, {@code /metrics} scrapes, the
 * bootstrap admin)
 * through {@link ChecklistSources}, answered here where all of them are at hand. Nothing runs by itself until
 * {@link #startSchedules}.
 */
record Proving(Checklists checklists, Clock clock) {

    static Proving start(
            Store store,
            Guarding guarding,
            RunningConfig running,
            Watching watching,
            Paging paging,
            Acting acting,
            Keeping keeping,
            Cluster cluster,
            Clock clock,
            Started started) {
        Checklists checklists = started.add(new Checklists(
                store,
                () -> running.get().checklists(),
                // not literalSecrets(): those are descriptions of where a secret is written inline, not values
                () -> Checklists.masker(running.get().config()),
                new Sources(guarding, watching, acting.runbooks(), keeping, cluster),
                paging.incidents(),
                watching.registry(),
                clock));
        return new Proving(checklists, clock);
    }

    void startSchedules() {
        checklists.start();
    }

    /** The checklists' alerts that fire now, listed with the rules' alerts. */
    List<dev.opsdeck.alert.AlertEvent> firing() {
        return checklists.firing();
    }

    void register(JavalinConfig c, AuditLog audit, Dashboard dashboard) {
        new ChecklistRoutes(checklists, audit, clock).register(c);
        new ChecklistPages(checklists, audit, clock, dashboard.assets()).register(c, dashboard.nav());
    }

    /** The answers checklist items read, from the groups that know them. */
    private record Sources(Guarding guarding, Watching watching, Runbooks runbooks, Keeping keeping, Cluster cluster)
            implements ChecklistSources {
        public CheckResult latestCheck(String checkId) {
            for (ServiceStatus s : watching.engine().services()) {
                for (ServiceStatus.CheckStatus c : s.checks()) {
                    if (c.id().equals(checkId) && c.lastAtMs() > 0) {
                        return new CheckResult(
                                c.status(), Instant.ofEpochMilli(c.lastAtMs()), c.latencyMs(), c.message(), c.values());
                    }
                }
            }
            return null;
        }

        public BackupFact lastVerifiedBackup(String target) {
            Set<String> local = keeping.backups().destinations(target).stream()
                    .filter(d -> d.def().type().equals("local"))
                    .map(CompiledDestination::name)
                    .collect(Collectors.toSet());
            for (Backup b : keeping.backups().list(target, 100)) {
                if (!b.status().equals(Backup.VERIFIED) || b.verifiedMs() == null) continue;
                Map<String, Boolean> copies = new LinkedHashMap<>();
                b.copies()
                        .forEach(c -> copies.put(
                                c.destination(),
                                c.verifiedMs() != null && !c.status().equals("deleted")));
                return new BackupFact(b.id(), b.verifiedMs(), copies, local);
            }
            return null;
        }

        public List<Long> drillPasses(String target, int limit) {
            List<Long> out = new ArrayList<>();
            for (DrillDef d : keeping.drills().drills()) {
                if (!d.target().equals(target)) continue;
                keeping.drills().list(d.name(), limit).stream()
                        .filter(DrillResult::passed)
                        .forEach(r -> out.add(r.startedMs()));
            }
            out.sort(Comparator.reverseOrder());
            return out;
        }

        public Long lastRunbookSuccess(String runbook) {
            // Optional.map, not Stream.map: a runbook that never succeeded has a null lastSuccessMs, which
            // Stream.findFirst refuses with a NullPointerException
            return runbooks.catalogue().stream()
                    .filter(e -> e.def().id().equals(runbook))
                    .findFirst()
                    .map(Runbooks.Entry::lastSuccessMs)
                    .orElse(null);
        }

        public List<String> liveNodes() {
            return cluster.liveNodes();
        }

        /** From the store, as the production profile's start reads it (the password file anyone could delete). */
        public BootstrapState bootstrap() {
            return Guarding.bootstrapState(guarding.access());
        }

        public Long lastMetricsScrape() {
            long at = watching.lastScrapeMs().get();
            return at == 0 ? null : at;
        }
    }
}
