package dev.opsdeck.incident;

import dev.opsdeck.config.Json;
import dev.opsdeck.store.Sql;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads of incidents and what hangs off them, on a connection the caller holds (in a transaction or not). */
final class IncidentReads {
    static final String COLUMNS = "id, group_key, title, state, severity, service, runbook, policy, assignee, paged, "
            + "notify_seq, opened_ms, acked_ms, acked_by, first_acked_ms, resolved_ms, resolved_by, ack_due_ms, "
            + "resolve_due_ms, ack_breached, resolve_breached, updated_ms";

    private IncidentReads() {}

    static Optional<Incident> find(Connection c, long id) throws SQLException {
        return Sql.query(c, "SELECT " + COLUMNS + " FROM incident WHERE id = ?", IncidentReads::incident, id).stream()
                .findFirst();
    }

    static Optional<Incident> openByGroup(Connection c, String groupKey) throws SQLException {
        return Sql.query(
                        c,
                        "SELECT " + COLUMNS + " FROM incident WHERE group_key = ? AND resolved_ms IS NULL",
                        IncidentReads::incident,
                        groupKey)
                .stream()
                .findFirst();
    }

    /** The open incident an alert with this fingerprint is attached to, if any. */
    static Optional<Incident> openByFingerprint(Connection c, String fingerprint) throws SQLException {
        return Sql.query(
                        c,
                        "SELECT " + prefixed() + " FROM incident i JOIN incident_alert a ON a.incident_id = i.id"
                                + " WHERE a.fingerprint = ? AND i.resolved_ms IS NULL ORDER BY i.id DESC",
                        IncidentReads::incident,
                        fingerprint)
                .stream()
                .findFirst();
    }

    /** Incidents matching a condition written in this package (never from input), oldest first. */
    static List<Incident> where(Connection c, String condition, Object arg) throws SQLException {
        return Sql.query(
                c,
                "SELECT " + COLUMNS + " FROM incident WHERE " + condition + " ORDER BY id",
                IncidentReads::incident,
                arg);
    }

    static List<Incident> list(Connection c, IncidentManager.Filter f) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM incident WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if ("open".equals(f.state())) {
            sql.append(" AND resolved_ms IS NULL");
        } else if (f.state() != null) {
            sql.append(" AND state = ?");
            args.add(f.state());
        }
        if (f.severity() != null) {
            sql.append(" AND severity = ?");
            args.add(f.severity());
        }
        if (f.service() != null) {
            sql.append(" AND (service = ? OR id IN (SELECT incident_id FROM incident_impact WHERE service = ?))");
            args.add(f.service());
            args.add(f.service());
        }
        sql.append(" ORDER BY id DESC LIMIT ").append(Math.max(1, f.limit()));
        return Sql.query(c, sql.toString(), IncidentReads::incident, args.toArray());
    }

    static List<IncidentAlert> alerts(Connection c, long incidentId) throws SQLException {
        return Sql.query(
                c,
                "SELECT incident_id, fingerprint, source, name, state, severity, service, suppressed, summary,"
                        + " runbook, labels, fired_ms, resolved_ms FROM incident_alert WHERE incident_id = ? ORDER BY fired_ms,"
                        + " fingerprint",
                rs -> new IncidentAlert(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getInt(8) == 1,
                        rs.getString(9),
                        rs.getString(10),
                        strings(map(rs.getString(11))),
                        rs.getLong(12),
                        Sql.nullableLong(rs, "resolved_ms")),
                incidentId);
    }

    static List<String> impacted(Connection c, long incidentId) throws SQLException {
        return Sql.query(
                c,
                "SELECT service FROM incident_impact WHERE incident_id = ? ORDER BY service",
                rs -> rs.getString(1),
                incidentId);
    }

    static List<TimelineEntry> timeline(Connection c, long incidentId) throws SQLException {
        return Sql.query(
                c,
                "SELECT id, incident_id, at_ms, kind, actor, text, details FROM incident_timeline"
                        + " WHERE incident_id = ? ORDER BY id",
                rs -> new TimelineEntry(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        map(rs.getString(7))),
                incidentId);
    }

    static List<Notice> notices(Connection c, String where, Object... args) throws SQLException {
        return Sql.query(
                c,
                "SELECT idempotency_key, incident_id, channel, template, fields, created_ms, outbox_id,"
                        + " delivery FROM incident_notification WHERE " + where
                        + " ORDER BY created_ms, idempotency_key",
                rs -> new Notice(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        map(rs.getString(5)),
                        rs.getLong(6),
                        Sql.nullableLong(rs, "outbox_id"),
                        rs.getString(8)),
                args);
    }

    static Incident incident(ResultSet rs) throws SQLException {
        return new Incident(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                Incident.State.parse(rs.getString(4)),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getInt(10) == 1,
                rs.getInt(11),
                rs.getLong(12),
                Sql.nullableLong(rs, "acked_ms"),
                rs.getString(14),
                Sql.nullableLong(rs, "first_acked_ms"),
                Sql.nullableLong(rs, "resolved_ms"),
                rs.getString(17),
                Sql.nullableLong(rs, "ack_due_ms"),
                Sql.nullableLong(rs, "resolve_due_ms"),
                rs.getInt(20) == 1,
                rs.getInt(21) == 1,
                rs.getLong(22));
    }

    private static String prefixed() {
        return "i." + COLUMNS.replace(", ", ", i.");
    }

    private static Map<String, String> strings(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /** A JSON object column; only this package writes them, so one that cannot be read is a broken store. */
    private static Map<String, Object> map(String json) {
        try {
            return json == null ? Map.of() : Json.MAPPER.readValue(json, Json.OBJECT);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable JSON column: " + e.getMessage(), e);
        }
    }
}
