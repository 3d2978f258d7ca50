package dev.opsdeck.deploy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One deploy as stored (table {@code deploy}, V18). {@code source} is {@code opsdeck} when Opsdeck carried it out
 * through the service's deploy runbook, {@code ci} when another tool reported it. {@code rollbackOf} names the
 * deploy this one rolled back (a rollback is itself a deploy of the previous version). Times are epoch ms; null
 * while unknown.
 */
public record Deploy(
        String id,
        String service,
        String environment,
        String version,
        String previousVersion,
        Long commitMs,
        String description,
        String link,
        String source,
        String actor,
        DeployState state,
        String reason,
        String runId,
        String rollbackRunId,
        String rollbackOf,
        long requestedMs,
        Long startedMs,
        Long endedMs,
        String externalId) {
    public static final String SOURCE_OPSDECK = "opsdeck", SOURCE_CI = "ci";

    /** The deploy as the API, the CLI's {@code --json} and the dashboard show it: times as ISO-8601, null when unknown. */
    /** This deploy in {@code state}, with its times and runs as given; everything it was asked with stays. */
    public Deploy moved(DeployState state, Long startedMs, Long endedMs, String runId, String rollbackRunId) {
        return new Deploy(
                id,
                service,
                environment,
                version,
                previousVersion,
                commitMs,
                description,
                link,
                source,
                actor,
                state,
                reason,
                runId,
                rollbackRunId,
                rollbackOf,
                requestedMs,
                startedMs,
                endedMs,
                externalId);
    }

    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("service", service);
        m.put("environment", environment);
        m.put("version", version);
        m.put("previous_version", previousVersion);
        m.put("state", state.label());
        m.put("source", source);
        m.put("actor", actor);
        m.put("reason", reason);
        m.put("description", description);
        m.put("link", link);
        m.put("commit_at", iso(commitMs));
        m.put("requested_at", iso(requestedMs));
        m.put("started_at", iso(startedMs));
        m.put("ended_at", iso(endedMs));
        m.put("duration_ms", startedMs == null || endedMs == null ? null : endedMs - startedMs);
        m.put("run_id", runId);
        m.put("rollback_run_id", rollbackRunId);
        m.put("rollback_of", rollbackOf);
        m.put("external_id", externalId);
        return m;
    }

    private static String iso(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms).toString();
    }
}
