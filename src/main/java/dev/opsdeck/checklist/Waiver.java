package dev.opsdeck.checklist;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exception for one item: requested with a reason and an expiry, in force once someone other than the requester
 * approved it and until it expires. A waived item that fails shows as waived; after the expiry it fails again.
 */
public record Waiver(
        String id,
        String checklist,
        String itemId,
        String reason,
        String requestedBy,
        long requestedMs,
        long expiresMs,
        String approvedBy,
        Long approvedMs) {

    public boolean inForce(long nowMs) {
        return approvedBy != null && nowMs < expiresMs;
    }

    /** {@code requested}, {@code approved} or {@code expired}. */
    public String status(long nowMs) {
        if (nowMs >= expiresMs) return "expired";
        return approvedBy == null ? "requested" : "approved";
    }

    public Map<String, Object> view(long nowMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("item", itemId);
        m.put("reason", reason);
        m.put("status", status(nowMs));
        m.put("requested_by", requestedBy);
        m.put("requested_at", Instant.ofEpochMilli(requestedMs).toString());
        m.put("expires_at", Instant.ofEpochMilli(expiresMs).toString());
        m.put("approved_by", approvedBy);
        m.put(
                "approved_at",
                approvedMs == null ? null : Instant.ofEpochMilli(approvedMs).toString());
        return m;
    }
}
