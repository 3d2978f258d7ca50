package dev.opsdeck.runbook;

import java.util.LinkedHashMap;
import java.util.Map;

/** One step of a run, as stored: the evidence (status, times against target, exit code, output, values). */
public record StepRun(String runId, int seq, String stepId, String phase, String type, Status status, int attempts,
                      long startedMs, Long endedMs, Long targetMs, Integer exitCode, String output,
                      Map<String, String> extracted, String message, String decidedBy) {

    public enum Status {
        RUNNING, WAITING, SUCCEEDED, FAILED, SKIPPED, CANCELLED, INTERRUPTED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Long durationMs() {
        return endedMs == null ? null : endedMs - startedMs;
    }

    /** Over its target: the step took longer than the runbook said it should. */
    public boolean overTarget() {
        return targetMs != null && durationMs() != null && durationMs() > targetMs;
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
        v.put("started_at", Views.time(startedMs));
        v.put("ended_at", Views.time(endedMs));
        v.put("duration_ms", durationMs());
        v.put("target_ms", targetMs);
        v.put("over_target", overTarget());
        v.put("exit_code", exitCode);
        v.put("extracted", extracted);
        v.put("message", message);
        v.put("decided_by", decidedBy);
        return v;
    }
}
