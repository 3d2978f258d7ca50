package dev.opsdeck.incident;

import java.util.List;
import java.util.Map;

/**
 * One line of an incident's timeline. {@code kind} is one of {@link #KINDS}; {@code text} is free text (a note
 * is markdown, stored as written: whoever renders it escapes it).
 */
public record TimelineEntry(
        long id, long incidentId, long atMs, String kind, String actor, String text, Map<String, Object> details) {
    public static final List<String> KINDS = List.of(
            "alert_fired",
            "alert_resolved",
            "state",
            "note",
            "assigned",
            "severity",
            "notification",
            "delivery",
            "sla_breached",
            "alert_released");
}
