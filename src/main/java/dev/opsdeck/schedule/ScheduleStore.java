package dev.opsdeck.schedule;

import dev.opsdeck.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code schedule_run} and {@code schedule_seen} tables (V14). Plain JDBC with SQL that SQLite and PostgreSQL
 * both take; {@code INSERT .. ON CONFLICT DO NOTHING} is the claim that makes a slot fire on one node only.
 */
final class ScheduleStore {
    private static final String COLUMNS = "schedule, fire_ms, cause, node, status, started_ms, ended_ms, target_kind,"
            + " target_ref, ref, actor, message";
    private final Store store;

    ScheduleStore(Store store) {
        this.store = store;
    }

    /** Inserts the run unless a row for its (schedule, fire time) exists; true when this call claimed it. */
    boolean claim(ScheduleRun r) {
        return store.inTransaction(
                "schedule",
                c -> update(
                                c,
                                "INSERT INTO schedule_run (" + COLUMNS + ") VALUES"
                                        + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (schedule, fire_ms) DO NOTHING",
                                r.schedule(),
                                r.fireMs(),
                                r.cause(),
                                r.node(),
                                r.status(),
                                r.startedMs(),
                                r.endedMs(),
                                r.targetKind(),
                                r.targetRef(),
                                r.ref(),
                                r.actor(),
                                trim(r.message()))
                        == 1);
    }

    /** Moves a run from one status to another; false when another node (or call) moved it first. */
    boolean move(String schedule, long fireMs, String from, String to, String node, long startedMs) {
        return store.inTransaction(
                "schedule",
                c -> update(
                                c,
                                "UPDATE schedule_run SET status = ?, node = ?,"
                                        + " started_ms = ? WHERE schedule = ? AND fire_ms = ? AND status = ?",
                                to,
                                node,
                                startedMs,
                                schedule,
                                fireMs,
                                from)
                        == 1);
    }

    void finish(String schedule, long fireMs, String status, long endedMs, String ref, String message) {
        store.inTransaction(
                "schedule",
                c -> update(
                        c,
                        "UPDATE schedule_run SET status = ?, ended_ms = ?,"
                                + " ref = COALESCE(?, ref), message = ? WHERE schedule = ? AND fire_ms = ?",
                        status,
                        endedMs,
                        ref,
                        trim(message),
                        schedule,
                        fireMs));
    }

    void ref(String schedule, long fireMs, String ref) {
        store.inTransaction(
                "schedule",
                c -> update(
                        c,
                        "UPDATE schedule_run SET ref = ? WHERE schedule = ? AND fire_ms = ?",
                        ref,
                        schedule,
                        fireMs));
    }

    /** Remembers when a schedule was first seen and returns that time (the earlier one when it was already known). */
    long seen(String schedule, long nowMs) {
        return store.inTransaction("schedule", c -> {
            update(
                    c,
                    "INSERT INTO schedule_seen (schedule, since_ms) VALUES (?, ?) ON CONFLICT (schedule) DO NOTHING",
                    schedule,
                    nowMs);
            try (PreparedStatement q = c.prepareStatement("SELECT since_ms FROM schedule_seen WHERE schedule = ?")) {
                q.setString(1, schedule);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The latest fire time the cron claimed (manual runs do not count); null when none. */
    Long lastFire(String schedule) {
        return store.read("schedule", c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT MAX(fire_ms) FROM schedule_run WHERE schedule = ?" + " AND cause = 'schedule'")) {
                q.setString(1, schedule);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }
            }
        });
    }

    List<ScheduleRun> list(String schedule, int limit) {
        return query(
                "SELECT " + COLUMNS + " FROM schedule_run WHERE schedule = ? ORDER BY fire_ms DESC", limit, schedule);
    }

    /** Runs in {@code status} of a schedule, oldest first. */
    List<ScheduleRun> inStatus(String schedule, String status) {
        return query(
                "SELECT " + COLUMNS + " FROM schedule_run WHERE schedule = ? AND status = ? ORDER BY fire_ms",
                1_000,
                schedule,
                status);
    }

    /**
     * The first run in {@code status} that ended after the schedule's last ok run: what raised its still firing
     * alert (an ok run resolves it); null when there is none.
     */
    ScheduleRun firstSinceLastOk(String schedule, String status) {
        List<ScheduleRun> l = query(
                "SELECT " + COLUMNS + " FROM schedule_run WHERE schedule = ? AND status = ? AND"
                        + " ended_ms > COALESCE((SELECT MAX(ended_ms) FROM schedule_run WHERE schedule = ? AND status = ?), -1)"
                        + " ORDER BY ended_ms, fire_ms",
                1,
                schedule,
                status,
                schedule,
                ScheduleRun.OK);
        return l.isEmpty() ? null : l.getFirst();
    }

    ScheduleRun get(String schedule, long fireMs) {
        List<ScheduleRun> l = query(
                "SELECT " + COLUMNS + " FROM schedule_run WHERE schedule = ? AND fire_ms = ?", 1, schedule, fireMs);
        return l.isEmpty() ? null : l.getFirst();
    }

    static final String INTERRUPTED = "interrupted: Opsdeck stopped before this run ended";

    /** Runs this node left running or queued when it stopped, oldest first. */
    List<ScheduleRun> leftBy(String node) {
        return query(
                "SELECT " + COLUMNS + " FROM schedule_run WHERE node = ? AND status IN (?, ?) ORDER BY fire_ms",
                10_000,
                node,
                ScheduleRun.RUNNING,
                ScheduleRun.QUEUED);
    }

    /** Marks a run a stopped process left as failed; false when it had already moved on (or been marked). */
    boolean interrupted(ScheduleRun r, long nowMs) {
        return store.inTransaction(
                        "schedule",
                        c -> update(
                                c,
                                "UPDATE schedule_run SET status = ?, ended_ms = ?,"
                                        + " message = ? WHERE schedule = ? AND fire_ms = ? AND node = ? AND status = ?",
                                ScheduleRun.FAILED,
                                nowMs,
                                INTERRUPTED,
                                r.schedule(),
                                r.fireMs(),
                                r.node(),
                                r.status()))
                == 1;
    }

    private List<ScheduleRun> query(String sql, int limit, Object... args) {
        return store.read("schedule", c -> {
            List<ScheduleRun> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(sql)) {
                bind(q, args);
                q.setMaxRows(limit);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ScheduleRun(
                                rs.getString(1),
                                rs.getLong(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                nullable(rs, 6),
                                nullable(rs, 7),
                                rs.getString(8),
                                rs.getString(9),
                                rs.getString(10),
                                rs.getString(11),
                                rs.getString(12)));
                    }
                }
            }
            return out;
        });
    }

    private static Long nullable(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static String trim(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) s.setNull(i + 1, java.sql.Types.NULL);
            else s.setObject(i + 1, a);
        }
    }
}
