package dev.opsdeck.incident;

import java.util.Map;

/**
 * A notification an incident asked for, kept with it: written in the same transaction as the change that causes
 * it, handed to the outbox after the commit ({@code outboxId} null until then).
 */
public record Notice(
        String idempotencyKey,
        long incidentId,
        String channel,
        String template,
        Map<String, Object> fields,
        long createdMs,
        Long outboxId,
        String delivery) {}
