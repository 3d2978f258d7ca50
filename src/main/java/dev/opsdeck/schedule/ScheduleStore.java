package dev.opsdeck.schedule;

import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The {@code schedule_run} and {@code schedule_seen} tables (V14). Plain JDBC with SQL that SQLite and PostgreSQL
 * both take; {@code INSERT .. ON CONFLICT DO NOTHING} is the claim that makes a slot fire on one node only.
 */
final class ScheduleStore {
    private static final String COLUMNS = "schedule, fire_ms, cause, node, status, started_ms, ended_ms, target_kind,"
            + " target_ref, ref, actor, message";
    private final Sql sql;

    ScheduleStore(Store store) {
        this.sql = new Sql(store, "schedule");
    }

    /** Inserts the run unless a row for its (schedule, fire time) exists; true when this call claimed it. */
    boolean claim(ScheduleRun r) {
        return sql.update(
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
                        Sql.clipped(r.message()))
                == 1;
    }

    /** Moves a run from one status to another; false when another node (or call) moved it first. */
    boolean move(String schedule, long fireMs, String from, String to, String node, long startedMs) {
        return sql.update(
                        "UPDATE schedule_run SET status = ?, node = ?,"
                                + " started_ms = ? WHERE schedule = ? AND fire_ms = ? AND status = ?",
                        to,
                        node,
                        startedMs,
                        schedule,
                        fireMs,
                        from)
                == 1;
    }

    void finish(String schedule, long fireMs, String status, long endedMs, String ref, String message) {
        sql.update(
                "UPDATE schedule_run SET status = ?, ended_ms = ?,"
                        + " ref = COALESCE(?, ref), message = ? WHERE schedule = ? AND fire_ms = ?",
                status,
                endedMs,
                ref,
                Sql.clipped(message),
                schedule,
                fireMs);
    }

    void ref(String schedule, long fireMs, String ref) {
        sql.update("UPDATE schedule_run SET ref = ? WHERE schedule = ? AND fire_ms = ?", ref, schedule, fireMs);
    }

    /** Remembers when a schedule was first seen and returns that time (the earlier one when it was already known). */
    long seen(String schedule, long nowMs) {
        return sql.transaction(c -> {
            Sql.update(
                    c,
                    "INSERT INTO schedule_seen (schedule, since_ms) VALUES (?, ?) ON CONFLICT (schedule) DO NOTHING",
                    schedule,
                    nowMs);
            return Sql.first(c, "SELECT since_ms FROM schedule_seen WHERE schedule = ?", rs -> rs.getLong(1), schedule)
                    .orElseThrow();
        });
    }

    /** The latest fire time the cron claimed (manual runs do not count); null when none. */
    Long lastFire(String schedule) {
        // MAX gives one row, NULL when there is none
        return sql.query(
                        "SELECT MAX(fire_ms) FROM schedule_run WHERE schedule = ?" + " AND cause = 'schedule'",
                        rs -> Sql.nullableLong(rs, 1),
                        schedule)
                .getFirst();
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
        return sql.update(
                        "UPDATE schedule_run SET status = ?, ended_ms = ?,"
                                + " message = ? WHERE schedule = ? AND fire_ms = ? AND node = ? AND status = ?",
                        ScheduleRun.FAILED,
                        nowMs,
                        INTERRUPTED,
                        r.schedule(),
                        r.fireMs(),
                        r.node(),
                        r.status())
                == 1;
    }

    private List<ScheduleRun> query(String select, int limit, Object... args) {
        return sql.query(select, limit, ScheduleStore::run, args);
    }

    private static ScheduleRun run(ResultSet rs) throws SQLException {
        return new ScheduleRun(
                rs.getString(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                Sql.nullableLong(rs, 6),
                Sql.nullableLong(rs, 7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11),
                rs.getString(12));
    }
}
