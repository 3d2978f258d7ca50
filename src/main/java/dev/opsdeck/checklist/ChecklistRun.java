package dev.opsdeck.checklist;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of a checklist. {@code cause}: {@code schedule} or {@code manual}; {@code actor}: who asked for it
 * ({@code schedule} for the scheduled ones). {@code score} is 0..100 (see {@link Score}); {@code ready} is true when
 * every required item is proven.
 */
public record ChecklistRun(
        String id,
        String checklist,
        String cause,
        String actor,
        String configHash,
        long startedMs,
        long endedMs,
        int score,
        boolean ready) {
    public static final String SCHEDULE = "schedule", MANUAL = "manual";

    public String state() {
        return ready ? "ready" : "not_ready";
    }

    /** What the audit trail keeps of a run, whether the API or the dashboard asked for it. */
    public Map<String, Object> auditDetails() {
        return Map.of("run", id, "score", score, "state", state());
    }

    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("checklist", checklist);
        m.put("cause", cause);
        m.put("actor", actor);
        m.put("config_hash", configHash);
        m.put("started_at", Instant.ofEpochMilli(startedMs).toString());
        m.put("ended_at", Instant.ofEpochMilli(endedMs).toString());
        m.put("duration_ms", endedMs - startedMs);
        m.put("score", score);
        m.put("state", state());
        return m;
    }
}
