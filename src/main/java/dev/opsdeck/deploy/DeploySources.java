package dev.opsdeck.deploy;

import java.util.List;

/**
 * What a deploy reads from the paging side, implemented where the server wires everything (the alert engine and the
 * incidents sit beside this package, not below it).
 */
public interface DeploySources {
    /** Open (not resolved) P1 or P2 incidents on {@code service}, as "#12 P1 api down" lines. */
    List<String> openUrgentIncidents(String service);

    /** Alerts firing now on {@code service} that started at or after {@code sinceMs}, as "name (P2)" lines. */
    List<String> firingAlerts(String service, long sinceMs);

    /** Nothing to read: no freezes by incident, no alerts (tests, tools without paging). */
    DeploySources NONE = new DeploySources() {
        @Override
        public List<String> openUrgentIncidents(String service) {
            return List.of();
        }

        @Override
        public List<String> firingAlerts(String service, long sinceMs) {
            return List.of();
        }
    };
}
