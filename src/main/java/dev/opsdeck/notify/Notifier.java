package dev.opsdeck.notify;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * Delivers messages while the store cannot take them (the local path of paging during a store outage): they
     * are kept durably beside the store and sent from there; a later {@link #enqueue} with the same idempotency
     * key records that message instead of sending it again. Throws when this notifier has no such path.
     */
    default void fallback(List<Message> messages) {
        throw new UnsupportedOperationException("this notifier cannot deliver without its store");
    }

    /** One message for {@link #enqueueAll}, with {@link #enqueue}'s parameters. */
    record Message(String channel, String idempotencyKey, String template, Map<String, Object> fields) {}

    /**
     * Enqueues several messages, all or none (an invalid one refuses the lot); returns their outbox ids in order.
     * The outbox writes them in one transaction, which is why callers with several messages at hand use this.
     */
    default List<Long> enqueueAll(List<Message> messages) {
        List<Long> ids = new ArrayList<>();
        for (Message m : messages) ids.add(enqueue(m.channel(), m.idempotencyKey(), m.template(), m.fields()));
        return ids;
    }
}
