package dev.opsdeck.incident;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.config.Json;
import dev.opsdeck.store.Counters;
import dev.opsdeck.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** The statements that change incidents, always inside the caller's transaction. */
final class IncidentWrites {
    private IncidentWrites() {}

    static long insertIncident(
            Connection c,
            String groupKey,
            String title,
            String severity,
            String service,
            String runbook,
            long now,
            Long ackDue,
            Long resolveDue)
            throws SQLException {
        long id = Counters.next(c, "incident_sequence", "incident");
        Sql.update(
                c,
                "INSERT INTO incident (" + IncidentReads.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id,
                groupKey,
                cut(title, 1000),
                "triggered",
                severity,
                cut(service, 200),
                cut(runbook, 1000),
                null,
                null,
                0,
                0,
                now,
                null,
                null,
                null,
                null,
                null,
                ackDue,
                resolveDue,
                0,
                0,
                now);
        return id;
    }

    /** Sets the given columns (names are constants of this package, never input). */
    static void set(Connection c, long id, long now, Map<String, Object> columns) throws SQLException {
        StringBuilder sql = new StringBuilder("UPDATE incident SET updated_ms = ?");
        Object[] args = new Object[columns.size() + 2];
        args[0] = now;
        int i = 1;
        for (var e : columns.entrySet()) {
            sql.append(", ").append(e.getKey()).append(" = ?");
            args[i++] = e.getValue() instanceof Boolean b ? (b ? 1 : 0) : e.getValue();
        }
        args[i] = id;
        Sql.update(c, sql.append(" WHERE id = ?").toString(), args);
    }

    /** The next notification sequence number of an incident (part of idempotency keys). */
    static int nextSeq(Connection c, long id) throws SQLException {
        Sql.update(c, "UPDATE incident SET notify_seq = notify_seq + 1 WHERE id = ?", id);
        return Sql.query(c, "SELECT notify_seq FROM incident WHERE id = ?", rs -> rs.getInt(1), id)
                .getFirst();
    }

    static void insertAlert(Connection c, long incidentId, AlertEvent e, long firedMs) throws SQLException {
        Sql.update(
                c,
                "INSERT INTO incident_alert (incident_id, fingerprint, source, name, state, severity, service,"
                        + " suppressed, summary, runbook, labels, fired_ms, resolved_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?)",
                incidentId,
                cut(e.fingerprint(), 300),
                cut(e.source(), 40),
                cut(e.name(), 300),
                "firing",
                e.severity().name(),
                cut(e.service(), 200),
                e.suppressed() ? 1 : 0,
                cut(e.summary(), 2000),
                cut(e.runbook(), 1000),
                Json.write(e.labels() == null ? Map.of() : e.labels()),
                firedMs,
                null);
    }

    static void refireAlert(Connection c, long incidentId, String fingerprint, long firedMs) throws SQLException {
        Sql.update(
                c,
                "UPDATE incident_alert SET state = 'firing', fired_ms = ?, resolved_ms = NULL"
                        + " WHERE incident_id = ? AND fingerprint = ?",
                firedMs,
                incidentId,
                fingerprint);
    }

    static void resolveAlert(Connection c, long incidentId, String fingerprint, long resolvedMs) throws SQLException {
        Sql.update(
                c,
                "UPDATE incident_alert SET state = 'resolved', resolved_ms = ? WHERE incident_id = ? AND"
                        + " fingerprint = ?",
                resolvedMs,
                incidentId,
                fingerprint);
    }

    /** Returns whether the service is new to the incident. */
    static boolean impact(Connection c, long incidentId, String service) throws SQLException {
        return Sql.update(
                        c,
                        "INSERT INTO incident_impact (incident_id, service) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        incidentId,
                        cut(service, 200))
                == 1;
    }

    static long timeline(
            Connection c,
            long incidentId,
            long now,
            String kind,
            String actor,
            String text,
            Map<String, Object> details)
            throws SQLException {
        long id = Counters.next(c, "incident_sequence", "timeline");
        Sql.update(
                c,
                "INSERT INTO incident_timeline (id, incident_id, at_ms, kind, actor, text, details)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                id,
                incidentId,
                now,
                kind,
                cut(actor, 200),
                text,
                details == null || details.isEmpty() ? null : Json.write(details));
        return id;
    }

    static void notice(Connection c, Notice n) throws SQLException {
        Sql.update(
                c,
                "INSERT INTO incident_notification (idempotency_key, incident_id, channel, template, fields,"
                        + " created_ms, outbox_id, delivery) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL) ON CONFLICT DO NOTHING",
                n.idempotencyKey(),
                n.incidentId(),
                n.channel(),
                n.template(),
                Json.write(n.fields()),
                n.createdMs());
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
