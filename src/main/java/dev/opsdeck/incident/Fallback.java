package dev.opsdeck.incident;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.notify.Notifier;
import dev.opsdeck.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paging while the store is away, and catching up after. A firing alert the store could not take is paged at
 * once to the {@code incidents.notify} channels through the notifier's local path, keyed
 * {@code alert-<fingerprint>-<fired ms>-triggered-<channel>}; when the store answers and the event opens (or
 * joins) its incident, the incident's own "triggered" notice to that channel takes the same key, so the outbox
 * records the message already sent instead of sending it again.
 */
final class Fallback {
    private Fallback() {}

    static String key(AlertEvent e, String channel) {
        return "alert-" + e.fingerprint() + "-" + firedMs(e) + "-triggered-" + channel;
    }

    /** The page of a firing alert without its incident: what the incident's first page would say, but its id. */
    static List<Notifier.Message> pages(AlertEvent e, List<String> channels) {
        Map<String, Object> fields = new LinkedHashMap<>();
        String base = e.summary() != null && !e.summary().isBlank() ? e.summary() : e.name();
        fields.put("title", base == null || base.isBlank() ? e.fingerprint() : base);
        fields.put("status", "triggered");
        fields.put("started_at", Instant.ofEpochMilli(firedMs(e)).toString());
        fields.put("severity", e.severity().name());
        String root = e.rootCause() != null ? e.rootCause() : e.service();
        fields.put("service", root);
        fields.put("root_cause", root);
        fields.put("impacted", e.impacted() == null ? List.of() : e.impacted());
        fields.put("runbook", e.runbook());
        fields.put("summary", e.summary());
        fields.put("actor", e.source());
        List<Notifier.Message> out = new ArrayList<>();
        for (String channel : channels) {
            out.add(new Notifier.Message(channel, key(e, channel), "incident.triggered", fields));
        }
        return out;
    }

    /**
     * Whether a kept event is already in the store: a firing whose alert is recorded as fired at that time or
     * later, or a resolution after which the alert fired again. Replaying those would page or resolve twice.
     */
    static boolean applied(Connection c, AlertEvent e) throws SQLException {
        return switch (e.state()) {
            case FIRING -> recorded(c, e.fingerprint(), firedMs(e));
            case RESOLVED ->
                !Sql.query(
                                c,
                                "SELECT 1 FROM incident_alert WHERE fingerprint = ? AND fired_ms > ?",
                                rs -> 1,
                                e.fingerprint(),
                                firedMs(e))
                        .isEmpty();
            case ACKNOWLEDGED -> false;
        };
    }

    /**
     * Whether the firing of alert {@code fingerprint} that began at {@code firedMs} is recorded: an incident holds
     * that firing or a later one (also when a person resolved the incident since), or an open incident holds the
     * alert firing still (the same firing seen again).
     */
    static boolean recorded(Connection c, String fingerprint, long firedMs) throws SQLException {
        return !Sql.query(
                        c,
                        "SELECT 1 FROM incident_alert a JOIN incident i ON i.id = a.incident_id"
                                + " WHERE a.fingerprint = ? AND (a.fired_ms >= ? OR a.state = 'firing' AND i.resolved_ms IS NULL)",
                        rs -> 1,
                        fingerprint,
                        firedMs)
                .isEmpty();
    }

    /**
     * In the transaction that applied {@code e} to incident {@code incidentId}: each "triggered" notice it wrote
     * (at or after {@code sinceMs}, not handed over yet) to a channel already paged through the local path takes
     * that page's key. A key is taken once: the notices' primary key refuses a second incident the same page.
     */
    static void adopt(Connection c, long incidentId, AlertEvent e, List<String> paged, long sinceMs)
            throws SQLException {
        for (String channel : paged) {
            String key = key(e, channel);
            if (!Sql.query(c, "SELECT 1 FROM incident_notification WHERE idempotency_key = ?", rs -> 1, key)
                    .isEmpty()) {
                continue;
            }
            List<String> notices = Sql.query(
                    c,
                    "SELECT idempotency_key FROM incident_notification WHERE incident_id = ?"
                            + " AND channel = ? AND template = 'incident.triggered' AND outbox_id IS NULL AND created_ms >= ?"
                            + " ORDER BY idempotency_key",
                    rs -> rs.getString(1),
                    incidentId,
                    channel,
                    sinceMs);
            if (notices.isEmpty()) continue; // the incident was paged before: this page stays a message of its own
            Sql.update(
                    c,
                    "UPDATE incident_notification SET idempotency_key = ? WHERE idempotency_key = ?",
                    key,
                    notices.getFirst());
        }
    }

    private static long firedMs(AlertEvent e) {
        return e.at() == null ? 0 : e.at().toEpochMilli();
    }
}
