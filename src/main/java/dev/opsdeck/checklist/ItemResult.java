package dev.opsdeck.checklist;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One item's result in one run: its state, the message saying what was found, the evidence (measured values, the
 * file and line, a command's output: masked and capped before it was stored) and how long proving it took.
 */
public record ItemResult(
        String runId,
        String checklist,
        String itemId,
        ItemState state,
        String message,
        Map<String, Object> evidence,
        long durationMs,
        long atMs) {

    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", runId);
        m.put("item", itemId);
        m.put("state", state.label());
        m.put("message", message);
        m.put("evidence", evidence);
        m.put("duration_ms", durationMs);
        m.put("at", Instant.ofEpochMilli(atMs).toString());
        return m;
    }
}
