package dev.opsdeck.incident;

import java.util.Map;

/** An alert as attached to an incident: one row per fingerprint, re-fired in place. */
public record IncidentAlert(
        long incidentId,
        String fingerprint,
        String source,
        String name,
        String state,
        String severity,
        String service,
        boolean suppressed,
        String summary,
        String runbook,
        Map<String, String> labels,
        long firedMs,
        Long resolvedMs) {}
