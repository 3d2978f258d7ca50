package dev.opsdeck.incident;

import java.util.List;
import java.util.Set;

/**
 * What changed on an incident's services shortly before it opened, as lines people read ("api v1.4.0 deployed
 * 12 min before, by ci"), newest first. Incidents name them in their notifications and on their page without knowing
 * where changes are recorded: the server plugs the deploy records in ({@link IncidentManager#recentChangesFrom}).
 * Incidents sit below deploys, so the seam points this way.
 */
@FunctionalInterface
public interface RecentChanges {
    /** No change is known: what incidents use until the server plugs something in. */
    RecentChanges NONE = (services, openedMs) -> List.of();

    /** The lines for the changes to {@code services} before {@code openedMs}; an empty list when there were none. */
    List<String> before(Set<String> services, long openedMs);
}
