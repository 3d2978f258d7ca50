package dev.opsdeck.runbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.opsdeck.config.Json;
import dev.opsdeck.store.SqlWork;
import dev.opsdeck.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs and their steps in the store (tables {@code runbook_run}, {@code runbook_step_run}). Writes go one at a time:
 * a hundred runs writing at once would otherwise take every pooled connection (SQLite has one writer anyway) and
 * starve the result writer and the API; queued here they cost a few milliseconds each.
 */
final class RunStore {
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};
    private static final String RUN_COLUMNS = "id, runbook_id, definition_hash, params, started_by, incident_id, "
            + "parent_run, status, current_step, message, created_ms, started_ms, ended_ms, target_ms, rollback";
    private static final String STEP_COLUMNS = "run_id, seq, step_id, phase, type, status, attempts, started_ms, "
            + "ended_ms, target_ms, exit_code, output, extracted, message, decided_by, wait_ms, continued";
    private final Store store;

    RunStore(Store store) {
        this.store = store;
    }

    synchronized void insert(Run r) {
        store.inTransaction("runbook run", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runbook_run (" + RUN_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.id());
                ps.setString(2, r.runbookId());
                ps.setString(3, r.definitionHash());
                ps.setString(4, json(r.params()));
                ps.setString(5, r.startedBy());
                setLong(ps, 6, r.incidentId());
                ps.setString(7, r.parentRun());
                ps.setString(8, r.status().label());
                ps.setString(9, r.currentStep());
                ps.setString(10, clip(r.message()));
                ps.setLong(11, r.createdMs());
                setLong(ps, 12, r.startedMs());
                setLong(ps, 13, r.endedMs());
                setLong(ps, 14, r.targetMs());
                ps.setString(15, r.rollback() == null ? null : r.rollback().label());
                ps.executeUpdate();
            }
            return null;
        });
    }

    synchronized void update(Run r) {
        write(null, null, r);
    }

    /**
     * Step rows and the run's row in one transaction (each may be null): one commit where there were three. The
     * engine stores a step's end together with the next step's start, so a step costs one commit. While the run
     * is active, the commit does not wait for the disk ({@link Store#inLightTransaction}): it survives a kill -9 of
     * the server, which is what "interrupted at the step it was in" needs; the run's end is stored durably, and
     * with it every step before.
     */
    synchronized void write(StepRun ended, StepRun started, Run r) {
        if (ended == null && started == null && r == null) return;
        SqlWork<Void> work = c -> {
            if (ended != null) saveStep(c, ended);
            if (started != null) saveStep(c, started);
            if (r != null) updateRun(c, r);
            return null;
        };
        if (r != null && !r.status().active()) store.inTransaction("runbook run", work);
        else store.inLightTransaction("runbook step", work);
    }

    private static void updateRun(Connection c, Run r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE runbook_run SET status = ?, current_step = ?, "
                + "message = ?, started_ms = ?, ended_ms = ?, params = ?, rollback = ? WHERE id = ?")) {
            ps.setString(1, r.status().label());
            ps.setString(2, r.currentStep());
            ps.setString(3, clip(r.message()));
            setLong(ps, 4, r.startedMs());
            setLong(ps, 5, r.endedMs());
            ps.setString(6, json(r.params()));
            ps.setString(7, r.rollback() == null ? null : r.rollback().label());
            ps.setString(8, r.id());
            ps.executeUpdate();
        }
    }

    /** Inserts or replaces one step's row. */
    synchronized void save(StepRun s) {
        write(null, s, null);
    }

    private static void saveStep(Connection c, StepRun s) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM runbook_step_run WHERE run_id = ? AND seq = ?")) {
            del.setString(1, s.runId());
            del.setInt(2, s.seq());
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO runbook_step_run (" + STEP_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.runId());
            ps.setInt(2, s.seq());
            ps.setString(3, s.stepId());
            ps.setString(4, s.phase());
            ps.setString(5, s.type());
            ps.setString(6, s.status().label());
            ps.setInt(7, s.attempts());
            ps.setLong(8, s.startedMs());
            setLong(ps, 9, s.endedMs());
            setLong(ps, 10, s.targetMs());
            if (s.exitCode() == null) ps.setNull(11, Types.INTEGER);
            else ps.setInt(11, s.exitCode());
            ps.setString(12, s.output());
            ps.setString(13, json(s.extracted()));
            ps.setString(14, clip(s.message()));
            ps.setString(15, s.decidedBy());
            setLong(ps, 16, s.waitMs());
            ps.setInt(17, s.continued() ? 1 : 0);
            ps.executeUpdate();
        }
    }

    Optional<Run> find(String id) {
        return store
                .read("runbook run", c -> runs(c, "SELECT " + RUN_COLUMNS + " FROM runbook_run WHERE id = ?", id))
                .stream()
                .findFirst();
    }

    List<Run> list(String runbookId, int limit) {
        String sql = "SELECT " + RUN_COLUMNS + " FROM runbook_run" + (runbookId == null ? "" : " WHERE runbook_id = ?")
                + " ORDER BY created_ms DESC LIMIT " + Math.max(1, Math.min(limit, 1000));
        return store.read("runbook run", c -> runbookId == null ? runs(c, sql) : runs(c, sql, runbookId));
    }

    List<Run> active() {
        return store.read(
                "runbook run",
                c -> runs(
                        c,
                        "SELECT " + RUN_COLUMNS
                                + " FROM runbook_run WHERE status IN ('queued', 'running', 'waiting_approval') ORDER BY created_ms"));
    }

    /** Whether {@code startedBy} already started {@code runbookId} for the incident (any status). */
    boolean startedFor(String runbookId, long incidentId, String startedBy) {
        return store.read("runbook run", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT 1 FROM runbook_run WHERE runbook_id = ? AND incident_id = ?"
                            + " AND started_by = ? AND parent_run IS NULL LIMIT 1")) {
                ps.setString(1, runbookId);
                ps.setLong(2, incidentId);
                ps.setString(3, startedBy);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** When each runbook last succeeded (its "last tested"), by runbook id. */
    Map<String, Long> lastSuccess() {
        return store.read("runbook run", c -> {
            Map<String, Long> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT runbook_id, MAX(ended_ms) FROM runbook_run "
                            + "WHERE status = 'succeeded' GROUP BY runbook_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            }
            return out;
        });
    }

    List<StepRun> steps(String runId) {
        return store.read("runbook step", c -> {
            List<StepRun> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + STEP_COLUMNS + " FROM runbook_step_run WHERE run_id = ? ORDER BY seq")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StepRun(
                                rs.getString(1),
                                rs.getInt(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                StepRun.Status.valueOf(rs.getString(6).toUpperCase(java.util.Locale.ROOT)),
                                rs.getInt(7),
                                rs.getLong(8),
                                getLong(rs, 9),
                                getLong(rs, 10),
                                getInt(rs, 11),
                                rs.getString(12),
                                map(rs.getString(13)),
                                rs.getString(14),
                                rs.getString(15),
                                getLong(rs, 16),
                                rs.getInt(17) != 0));
                    }
                }
            }
            return out;
        });
    }

    private static List<Run> runs(Connection c, String sql, String... args) throws SQLException {
        List<Run> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Run(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            map(rs.getString(4)),
                            rs.getString(5),
                            getLong(rs, 6),
                            rs.getString(7),
                            Run.Status.valueOf(rs.getString(8).toUpperCase(java.util.Locale.ROOT)),
                            rs.getString(9),
                            rs.getString(10),
                            rs.getLong(11),
                            getLong(rs, 12),
                            getLong(rs, 13),
                            getLong(rs, 14),
                            Run.Rollback.parse(rs.getString(15))));
                }
            }
        }
        return out;
    }

    private static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static Integer getInt(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }

    private static String clip(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1990) + "…";
    }

    private static String json(Map<String, String> m) {
        return Json.write(m == null ? Map.of() : m);
    }

    private static Map<String, String> map(String json) {
        if (json == null) return Map.of();
        try {
            return Json.MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
