package dev.opsdeck.monitor;

import dev.opsdeck.probe.Status;
import java.util.List;
import java.util.Map;

/** A read-only view of one service for the API, CLI and dashboard. */
public record ServiceStatus(
        String name,
        String description,
        Status status,
        String message,
        List<String> dependsOn,
        List<String> impactedBy,
        List<CheckStatus> checks) {

    /** A read-only view of one check. */
    public record CheckStatus(
            String service,
            String name,
            String type,
            Status status,
            long sinceMs,
            String message,
            long latencyMs,
            long lastAtMs,
            boolean flapping,
            long intervalMs,
            Map<String, Object> values) {
        public String id() {
            return service + "/" + name;
        }
    }
}
