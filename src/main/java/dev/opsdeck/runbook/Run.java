package dev.opsdeck.runbook;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of a runbook as stored: who started it, with which (masked) parameters, where it stands. {@code rollback}:
 * how the rollback of a failed run ended; null when none ran.
 */
public record Run(
        String id,
        String runbookId,
        String definitionHash,
        Map<String, String> params,
        String startedBy,
        Long incidentId,
        String parentRun,
        Status status,
        String currentStep,
        String message,
        long createdMs,
        Long startedMs,
        Long endedMs,
        Long targetMs,
        Rollback rollback) {

    /** A failed run's rollback: every step succeeded (or was skipped), one failed, or it was cut short. */
    public enum Rollback {
        SUCCEEDED,
        FAILED,
        INCOMPLETE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Rollback parse(String label) {
            return label == null ? null : valueOf(label.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public enum Status {
        QUEUED,
        RUNNING,
        WAITING_APPROVAL,
        SUCCEEDED,
        FAILED,
        CANCELLED,
        INTERRUPTED;

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

    /** Whether the run met its RTO: only a run that succeeded can; null without a target or while it goes. */
    public Boolean rtoMet() {
        if (targetMs == null || durationMs() == null || status.active()) return null;
        return status == Status.SUCCEEDED && durationMs() <= targetMs;
    }

    /** The status as people read it: "failed (rolled back)", "failed (rollback failed)" after a rollback. */
    public String statusText() {
        if (rollback == null) return status.label();
        return status.label()
                + switch (rollback) {
                    case SUCCEEDED -> " (rolled back)";
                    case FAILED -> " (rollback failed)";
                    case INCOMPLETE -> " (rollback incomplete)";
                };
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
        v.put("created_at", RunText.time(createdMs));
        v.put("started_at", RunText.time(startedMs));
        v.put("ended_at", RunText.time(endedMs));
        v.put("duration_ms", durationMs());
        v.put("target_ms", targetMs);
        v.put("rollback", rollback == null ? null : rollback.label());
        v.put("rolled_back", rollback == Rollback.SUCCEEDED);
        v.put("status_text", statusText());
        return v;
    }
}
