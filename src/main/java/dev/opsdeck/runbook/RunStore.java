package dev.opsdeck.runbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.opsdeck.config.Json;
import dev.opsdeck.store.Sql;
import dev.opsdeck.store.SqlWork;
import dev.opsdeck.store.Store;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
        store.inTransaction(
                "runbook run",
                c -> Sql.update(
                        c,
                        "INSERT INTO runbook_run (" + RUN_COLUMNS
                                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        r.id(),
                        r.runbookId(),
                        r.definitionHash(),
                        json(r.params()),
                        r.startedBy(),
                        r.incidentId(),
                        r.parentRun(),
                        r.status().label(),
                        r.currentStep(),
                        clip(r.message()),
                        r.createdMs(),
                        r.startedMs(),
                        r.endedMs(),
                        r.targetMs(),
                        r.rollback() == null ? null : r.rollback().label()));
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
        Sql.update(
                c,
                "UPDATE runbook_run SET status = ?, current_step = ?, "
                        + "message = ?, started_ms = ?, ended_ms = ?, params = ?, rollback = ? WHERE id = ?",
                r.status().label(),
                r.currentStep(),
                clip(r.message()),
                r.startedMs(),
                r.endedMs(),
                json(r.params()),
                r.rollback() == null ? null : r.rollback().label(),
                r.id());
    }

    /** Inserts or replaces one step's row. */
    synchronized void save(StepRun s) {
        write(null, s, null);
    }

    private static void saveStep(Connection c, StepRun s) throws SQLException {
        Sql.update(c, "DELETE FROM runbook_step_run WHERE run_id = ? AND seq = ?", s.runId(), s.seq());
        Sql.update(
                c,
                "INSERT INTO runbook_step_run (" + STEP_COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.runId(),
                s.seq(),
                s.stepId(),
                s.phase(),
                s.type(),
                s.status().label(),
                s.attempts(),
                s.startedMs(),
                s.endedMs(),
                s.targetMs(),
                s.exitCode(),
                s.output(),
                json(s.extracted()),
                clip(s.message()),
                s.decidedBy(),
                s.waitMs(),
                s.continued());
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
        return !store.read(
                        "runbook run",
                        c -> Sql.query(
                                c,
                                "SELECT 1 FROM runbook_run WHERE runbook_id = ? AND incident_id = ?"
                                        + " AND started_by = ? AND parent_run IS NULL LIMIT 1",
                                rs -> 1,
                                runbookId,
                                incidentId,
                                startedBy))
                .isEmpty();
    }

    /** When each runbook last succeeded (its "last tested"), by runbook id. */
    Map<String, Long> lastSuccess() {
        Map<String, Long> out = new LinkedHashMap<>();
        store.read(
                        "runbook run",
                        c -> Sql.query(
                                c,
                                "SELECT runbook_id, MAX(ended_ms) FROM runbook_run "
                                        + "WHERE status = 'succeeded' GROUP BY runbook_id",
                                rs -> Map.entry(rs.getString(1), rs.getLong(2))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    List<StepRun> steps(String runId) {
        return store.read(
                "runbook step",
                c -> Sql.query(
                        c,
                        "SELECT " + STEP_COLUMNS + " FROM runbook_step_run WHERE run_id = ? ORDER BY seq",
                        RunStore::step,
                        runId));
    }

    private static List<Run> runs(Connection c, String sql, String... args) throws SQLException {
        return Sql.query(c, sql, RunStore::run, (Object[]) args);
    }

    private static Run run(ResultSet rs) throws SQLException {
        return new Run(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                map(rs.getString(4)),
                rs.getString(5),
                Sql.nullableLong(rs, 6),
                rs.getString(7),
                Run.Status.valueOf(rs.getString(8).toUpperCase(Locale.ROOT)),
                rs.getString(9),
                rs.getString(10),
                rs.getLong(11),
                Sql.nullableLong(rs, 12),
                Sql.nullableLong(rs, 13),
                Sql.nullableLong(rs, 14),
                Run.Rollback.parse(rs.getString(15)));
    }

    private static StepRun step(ResultSet rs) throws SQLException {
        return new StepRun(
                rs.getString(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                StepRun.Status.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)),
                rs.getInt(7),
                rs.getLong(8),
                Sql.nullableLong(rs, 9),
                Sql.nullableLong(rs, 10),
                Sql.nullableInt(rs, 11),
                rs.getString(12),
                map(rs.getString(13)),
                rs.getString(14),
                rs.getString(15),
                Sql.nullableLong(rs, 16),
                rs.getInt(17) != 0);
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
