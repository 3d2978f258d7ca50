package dev.opsdeck.store;

import dev.opsdeck.probe.Status;

/** A check's persisted state: enough to resume thresholds and flapping after a restart. */
public record StoredState(
        String checkId,
        Status status,
        long sinceMs,
        int failures,
        int successes,
        boolean flapping,
        long lastAtMs,
        int lastLatencyMs,
        String lastMessage,
        String definitionHash) {}
