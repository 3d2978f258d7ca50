package dev.opsdeck.schedule;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One fire time of a schedule as stored: who ran it, where it stands and what it links to ({@code ref}: the backup
 * id, the runbook run id, the drill run or the check). {@code cause} is {@code schedule} or {@code manual}.
 */
public record ScheduleRun(
        String schedule,
        long fireMs,
        String cause,
        String node,
        String status,
        Long startedMs,
        Long endedMs,
        String targetKind,
        String targetRef,
        String ref,
        String actor,
        String message) {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String MISSED = "missed";
    public static final String SKIPPED = "skipped";

    public boolean active() {
        return status.equals(QUEUED) || status.equals(RUNNING);
    }

    public Long durationMs() {
        return startedMs == null || endedMs == null ? null : endedMs - startedMs;
    }

    public Map<String, Object> view() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("schedule", schedule);
        v.put("fire_time", Instant.ofEpochMilli(fireMs).toString());
        v.put("cause", cause);
        v.put("node", node);
        v.put("status", status);
        v.put(
                "started_at",
                startedMs == null ? null : Instant.ofEpochMilli(startedMs).toString());
        v.put("ended_at", endedMs == null ? null : Instant.ofEpochMilli(endedMs).toString());
        v.put("duration_ms", durationMs());
        v.put("target", targetKind + ":" + targetRef);
        v.put("ref", ref);
        v.put("actor", actor);
        v.put("message", message);
        return v;
    }
}
