package dev.opsdeck.runbook;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One step of a run, as stored: the evidence (status, times against target, exit code, output, values).
 * {@code decidedBy}: who approved or rejected an approval step, or who confirmed (or refused) a {@code confirm: true}
 * step; {@code waitMs}: how long such a step waited for its confirmation before it ran, which is not part of its
 * duration. {@code continued}: it failed and its {@code on_failure} (continue, goto) let the run go on.
 */
public record StepRun(
        String runId,
        int seq,
        String stepId,
        String phase,
        String type,
        Status status,
        int attempts,
        long startedMs,
        Long endedMs,
        Long targetMs,
        Integer exitCode,
        String output,
        Map<String, String> extracted,
        String message,
        String decidedBy,
        Long waitMs,
        boolean continued) {

    public enum Status {
        RUNNING,
        WAITING,
        SUCCEEDED,
        FAILED,
        SKIPPED,
        CANCELLED,
        INTERRUPTED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A step that starts now: nothing to show for it yet. */
    static StepRun started(
            String runId, int seq, String stepId, String phase, String type, long startedMs, Long targetMs) {
        return new StepRun(
                runId,
                seq,
                stepId,
                phase,
                type,
                Status.RUNNING,
                0,
                startedMs,
                null,
                targetMs,
                null,
                null,
                Map.of(),
                null,
                null,
                null,
                false);
    }

    /** This step ended now with {@code status}; what it produced so far stays. */
    StepRun ended(Status status, long now, String message) {
        return new StepRun(
                runId, seq, stepId, phase, type, status, attempts, startedMs, now, targetMs, exitCode, output,
                extracted, message, decidedBy, waitMs, continued);
    }

    /** What the step produced: after how many attempts, its exit code, output and the values taken from it. */
    StepRun withEvidence(int attempts, Integer exitCode, String output, Map<String, String> extracted) {
        return new StepRun(
                runId, seq, stepId, phase, type, status, attempts, startedMs, endedMs, targetMs, exitCode, output,
                extracted, message, decidedBy, waitMs, continued);
    }

    /** Who decided (approved, confirmed, refused) and how long a confirmation made the step wait (null: none). */
    StepRun withDecision(String by, Long waitMs) {
        return new StepRun(
                runId, seq, stepId, phase, type, status, attempts, startedMs, endedMs, targetMs, exitCode, output,
                extracted, message, by, waitMs, continued);
    }

    /** Marks a failure the run went on after ({@code on_failure} continue or goto). */
    StepRun withContinued(boolean continued) {
        return new StepRun(
                runId, seq, stepId, phase, type, status, attempts, startedMs, endedMs, targetMs, exitCode, output,
                extracted, message, decidedBy, waitMs, continued);
    }

    public Long durationMs() {
        return endedMs == null ? null : endedMs - startedMs;
    }

    /** Over its target: the step took longer than the runbook said it should. */
    public boolean overTarget() {
        return targetMs != null && durationMs() != null && durationMs() > targetMs;
    }

    /**
     * Whether the step met its target: only a step that succeeded can (in time); one that failed, was cancelled or
     * interrupted did not, however quickly; null without a target, while it runs, and for a skipped step.
     */
    public Boolean met() {
        if (targetMs == null || durationMs() == null || status == Status.SKIPPED) return null;
        return status == Status.SUCCEEDED && !overTarget();
    }

    /** Who confirmed a {@code confirm: true} step that then ran; null for other steps and for a refused confirmation. */
    public String confirmedBy() {
        return waitMs != null && (attempts > 0 || status == Status.RUNNING) ? decidedBy : null;
    }

    /** The status as people read it: "failed (continued)" for a failure the run went on after. */
    public String statusText() {
        return continued && status == Status.FAILED ? status.label() + " (continued)" : status.label();
    }

    /** Without the output, which can be large: it has its own route. */
    public Map<String, Object> view() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("seq", seq);
        v.put("step", stepId);
        v.put("phase", phase);
        v.put("type", type);
        v.put("status", status.label());
        v.put("attempts", attempts);
        v.put("started_at", RunText.time(startedMs));
        v.put("ended_at", RunText.time(endedMs));
        v.put("duration_ms", durationMs());
        v.put("target_ms", targetMs);
        v.put("over_target", overTarget());
        v.put("met", met());
        v.put("exit_code", exitCode);
        v.put("extracted", extracted);
        v.put("message", message);
        v.put("decided_by", decidedBy);
        v.put("confirmed_by", confirmedBy());
        v.put("wait_ms", waitMs);
        v.put("continued", continued);
        v.put("status_text", statusText());
        return v;
    }
}
