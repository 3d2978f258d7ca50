package dev.opsdeck.notify;

import java.util.Map;

/**
 * Sends a message to a channel, reliably: {@link #enqueue} writes it to the outbox in the store and
 * returns its id; delivery (with retries) happens later. {@code idempotencyKey} makes enqueueing the
 * same message twice (e.g. after a restart) a no-op, and is sent to receivers so they can dedupe.
 */
public interface Notifier {
    /**
     * @param channel        a configured channel name (config {@code channels:})
     * @param idempotencyKey e.g. {@code incident-42-triggered-step-1}
     * @param template       which message: {@code incident.triggered}, {@code incident.acknowledged},
     *                       {@code incident.resolved}, {@code incident.escalated}, {@code incident.sla_breached},
     *                       {@code test}
     * @param fields         values the templates use: severity, title, service, root_cause, impacted, runbook,
     *                       incident_url, incident_id, summary, actor, ...
     * @return the outbox id (existing id when the key was already enqueued)
     */
    long enqueue(String channel, String idempotencyKey, String template, Map<String, Object> fields);
}
