package dev.opsdeck.runbook;

import java.util.LinkedHashMap;
import java.util.Locale;
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
            return name().toLowerCase(Locale.ROOT);
        }

        static Rollback parse(String label) {
            return label == null ? null : valueOf(label.toUpperCase(Locale.ROOT));
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
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean active() {
            return this == QUEUED || this == RUNNING || this == WAITING_APPROVAL;
        }
    }

    /** A new run, waiting for its turn. */
    static Run queued(
            String id,
            String runbookId,
            String definitionHash,
            Map<String, String> params,
            String startedBy,
            Long incidentId,
            String parentRun,
            long createdMs,
            Long targetMs) {
        return new Run(
                id,
                runbookId,
                definitionHash,
                params,
                startedBy,
                incidentId,
                parentRun,
                Status.QUEUED,
                null,
                null,
                createdMs,
                null,
                null,
                targetMs,
                null);
    }

    /**
     * This run queued again to resume, under the definition it now runs with: its start, end and rollback are
     * cleared; where it stopped ({@code currentStep}) stays, to resume from.
     */
    Run resumed(String definitionHash, Map<String, String> params, String message) {
        return standing(definitionHash, params, Status.QUEUED, currentStep, message, null, null, null);
    }

    /**
     * This run moved on to {@code status}: at {@code step} (null: where it was), saying {@code message} (null: a
     * running run says nothing, any other keeps what it said). It starts now if it had not started, and ends now
     * unless the status is active.
     */
    Run moved(Status status, String step, String message, long now) {
        return standing(
                definitionHash,
                params,
                status,
                step != null ? step : currentStep,
                message != null ? message : status == Status.RUNNING ? null : this.message,
                startedMs == null ? now : startedMs,
                status.active() ? null : now,
                rollback);
    }

    /** This run ended now with {@code status}, outside its own execution (a restart, an engine error). */
    Run ended(Status status, long now, String message) {
        return standing(definitionHash, params, status, currentStep, message, startedMs, now, rollback);
    }

    Run withRollback(Rollback rollback) {
        return standing(definitionHash, params, status, currentStep, message, startedMs, endedMs, rollback);
    }

    /** The one copy path: what the run is and when it was created stay; how and where it stands is given. */
    private Run standing(
            String definitionHash,
            Map<String, String> params,
            Status status,
            String step,
            String message,
            Long startedMs,
            Long endedMs,
            Rollback rollback) {
        return new Run(
                id,
                runbookId,
                definitionHash,
                params,
                startedBy,
                incidentId,
                parentRun,
                status,
                step,
                message,
                createdMs,
                startedMs,
                endedMs,
                targetMs,
                rollback);
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
