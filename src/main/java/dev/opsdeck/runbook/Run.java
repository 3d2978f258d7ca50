package dev.opsdeck.runbook;

import java.util.LinkedHashMap;
import java.util.Map;

/** One run of a runbook as stored: who started it, with which (masked) parameters, where it stands. */
public record Run(String id, String runbookId, String definitionHash, Map<String, String> params, String startedBy,
                  Long incidentId, String parentRun, Status status, String currentStep, String message,
                  long createdMs, Long startedMs, Long endedMs, Long targetMs) {

    public enum Status {
        QUEUED, RUNNING, WAITING_APPROVAL, SUCCEEDED, FAILED, CANCELLED, INTERRUPTED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean active() {
            return this == QUEUED || this == RUNNING || this == WAITING_APPROVAL;
        }
    }

    public Long durationMs() {
        return startedMs == null || endedMs == null ? null : endedMs - startedMs;
    }

    public Map<String, Object> view() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("runbook", runbookId);
        v.put("definition_hash", definitionHash);
        v.put("params", params);
        v.put("started_by", startedBy);
        v.put("incident_id", incidentId);
        v.put("parent_run", parentRun);
        v.put("status", status.label());
        v.put("current_step", currentStep);
        v.put("message", message);
        v.put("created_at", Views.time(createdMs));
        v.put("started_at", Views.time(startedMs));
        v.put("ended_at", Views.time(endedMs));
        v.put("duration_ms", durationMs());
        v.put("target_ms", targetMs);
        return v;
    }
}
