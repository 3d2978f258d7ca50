package dev.opsdeck.checklist;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A person's word that a manual item holds, with a note; it holds until {@code expiresMs}. */
public record Attestation(
        String id, String checklist, String itemId, String note, String by, long atMs, long expiresMs) {
    public boolean valid(long nowMs) {
        return nowMs < expiresMs;
    }

    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("item", itemId);
        m.put("note", note);
        m.put("by", by);
        m.put("at", Instant.ofEpochMilli(atMs).toString());
        m.put("expires_at", Instant.ofEpochMilli(expiresMs).toString());
        return m;
    }
}
