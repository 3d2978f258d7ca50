package dev.opsdeck.deploy;

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
}
