package dev.opsdeck.checklist;

import dev.opsdeck.probe.CheckResult;
import java.util.List;

/**
 * What checklist items read from the rest of Opsdeck, implemented where the server wires everything (the monitor,
 * backups, drills, runbooks and the HTTP server sit beside or above this package). Each answer is what the server
 * knows now; null or empty when it knows nothing.
 */
public interface ChecklistSources {
    /** The latest result of the configured check {@code service/check}; null when it has none yet. */
    CheckResult latestCheck(String checkId);

    /** The newest verified backup of {@code target}: when it was verified, and its copies' destinations and states. */
    BackupFact lastVerifiedBackup(String target);

    /** When drills of backup target {@code target} passed, newest first (at most {@code limit}). */
    List<Long> drillPasses(String target, int limit);

    /** When runbook {@code runbook} last succeeded (epoch ms); null when never. */
    Long lastRunbookSuccess(String runbook);

    /** The nodes this server knows to be live (itself included). */
    List<String> liveNodes();

    /** When {@code GET /metrics} was last answered (epoch ms); null when never since the start. */
    Long lastMetricsScrape();

    /**
     * Whether the admin replaced the generated bootstrap password (the {@code doctor} checklist's item). A source that
     * cannot ask the store cannot tell: UNKNOWN.
     */
    default BootstrapState bootstrap() {
        return BootstrapState.UNKNOWN;
    }

    /**
     * A verified backup: {@code copies} maps each destination to whether its copy is verified; {@code local} names
     * the destinations on this host's disk (every other one is off-host).
     */
    record BackupFact(long id, long verifiedMs, java.util.Map<String, Boolean> copies, java.util.Set<String> local) {}
}
