package dev.opsdeck.notify;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One outbox message and where its delivery stands. {@code status} is {@code pending} (waiting for or in an
 * attempt), {@code delivered} (a receiver acknowledged it) or {@code failed} (the channel's retry horizon
 * passed); {@code lastError} says why the last attempt failed. Times are epoch milliseconds.
 */
public record Delivery(
        long id,
        String channel,
        String idempotencyKey,
        String template,
        Map<String, Object> fields,
        String status,
        int attempts,
        long createdMs,
        long nextAttemptMs,
        Long lastAttemptMs,
        Long deliveredMs,
        String lastError) {
    public static final String PENDING = "pending", DELIVERED = "delivered", FAILED = "failed";

    public boolean finished() {
        return !status.equals(PENDING);
    }

    /** As the API and the incident page show it (the message's fields are left out: they are the incident's). */
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("channel", channel);
        m.put("idempotency_key", idempotencyKey);
        m.put("template", template);
        m.put("status", status);
        m.put("attempts", attempts);
        m.put("created_at", Instant.ofEpochMilli(createdMs).toString());
        m.put(
                "next_attempt_at",
                status.equals(PENDING) ? Instant.ofEpochMilli(nextAttemptMs).toString() : null);
        m.put(
                "last_attempt_at",
                lastAttemptMs == null
                        ? null
                        : Instant.ofEpochMilli(lastAttemptMs).toString());
        m.put(
                "delivered_at",
                deliveredMs == null ? null : Instant.ofEpochMilli(deliveredMs).toString());
        m.put("last_error", lastError);
        return m;
    }
}
