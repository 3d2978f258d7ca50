package dev.opsdeck.backup;

import dev.opsdeck.store.Counters;
import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** The {@code drill_run} and {@code drill_check} tables (V13). Plain JDBC, the same SQL on SQLite and PostgreSQL. */
final class DrillStore {
    private static final String COLUMNS = "id, drill, target, actor, status, started_ms, finished_ms, backup_id,"
            + " backup_file, scratch, restore_ms, rpo_ms, error";
    private final Sql sql;

    DrillStore(Store store) {
        this.sql = new Sql(store, "drill");
    }

    long start(String drill, String target, String actor, long nowMs) {
        return sql.transaction(c -> {
            long id = Counters.next(c, "backup_sequence", "drill");
            Sql.update(
                    c,
                    "INSERT INTO drill_run (id, drill, target, actor, status, started_ms) VALUES (?, ?, ?, ?, ?, ?)",
                    id,
                    drill,
                    target,
                    Sql.clipped(actor),
                    DrillResult.RUNNING,
                    nowMs);
            return id;
        });
    }

    void backup(long id, Backup b, String scratch) {
        sql.update(
                "UPDATE drill_run SET backup_id = ?, backup_file = ?, scratch = ?" + " WHERE id = ?",
                b == null ? null : b.id(),
                b == null ? null : b.fileName(),
                scratch,
                id);
    }

    void scratch(long id, String scratch) {
        sql.update("UPDATE drill_run SET scratch = ? WHERE id = ?", scratch, id);
    }

    void restored(long id, long restoreMs, long rpoMs) {
        sql.update("UPDATE drill_run SET restore_ms = ?, rpo_ms = ? WHERE id = ?", restoreMs, rpoMs, id);
    }

    void finish(long id, String status, String error, List<DrillResult.Check> checks, long nowMs) {
        sql.transaction(c -> {
            Sql.update(c, "DELETE FROM drill_check WHERE run_id = ?", id);
            for (int i = 0; i < checks.size(); i++) {
                DrillResult.Check k = checks.get(i);
                Sql.update(
                        c,
                        "INSERT INTO drill_check (run_id, position, name, outcome, detail) VALUES (?, ?, ?, ?, ?)",
                        id,
                        i,
                        k.name(),
                        k.passed() ? DrillResult.PASSED : DrillResult.FAILED,
                        Sql.clipped(k.detail()));
            }
            return Sql.update(
                    c,
                    "UPDATE drill_run SET status = ?, error = ?, finished_ms = ? WHERE id = ?",
                    status,
                    Sql.clipped(error),
                    nowMs,
                    id);
        });
    }

    /** Runs a killed process left 'running', oldest first: the caller removes their scratch and marks them failed. */
    List<DrillResult> running() {
        return query("SELECT " + COLUMNS + " FROM drill_run WHERE status = ? ORDER BY id", 10_000, DrillResult.RUNNING);
    }

    List<DrillResult> list(String drill, int limit) {
        return query(
                "SELECT " + COLUMNS + " FROM drill_run WHERE drill = ? ORDER BY started_ms DESC, id DESC",
                limit,
                drill);
    }

    DrillResult lastPassed(String drill) {
        List<DrillResult> l = query(
                "SELECT " + COLUMNS + " FROM drill_run WHERE drill = ? AND status = ?"
                        + " ORDER BY started_ms DESC, id DESC",
                1,
                drill,
                DrillResult.PASSED);
        return l.isEmpty() ? null : l.getFirst();
    }

    DrillResult get(long id) {
        List<DrillResult> l = query("SELECT " + COLUMNS + " FROM drill_run WHERE id = ?", 1, id);
        return l.isEmpty() ? null : l.getFirst();
    }

    private List<DrillResult> query(String select, int limit, Object... args) {
        return sql.read(c -> {
            List<DrillResult> runs = Sql.query(c, select, limit, DrillStore::run, args);
            if (runs.isEmpty()) return runs;
            String ids = Sql.idList(runs.stream().map(DrillResult::id).toList());
            Map<Long, List<DrillResult.Check>> checks = Sql.grouped(
                    c,
                    "SELECT run_id, name, outcome, detail FROM drill_check" + " WHERE run_id IN (" + ids
                            + ") ORDER BY run_id, position",
                    rs -> Map.entry(
                            rs.getLong(1),
                            new DrillResult.Check(
                                    rs.getString(2), rs.getString(3).equals(DrillResult.PASSED), rs.getString(4))));
            return runs.stream()
                    .map(r -> r.withChecks(List.copyOf(checks.getOrDefault(r.id(), List.of()))))
                    .toList();
        });
    }

    private static DrillResult run(ResultSet rs) throws SQLException {
        return new DrillResult(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getLong(6),
                Sql.nullableLong(rs, 7),
                Sql.nullableLong(rs, 8),
                rs.getString(9),
                rs.getString(10),
                Sql.nullableLong(rs, 11),
                Sql.nullableLong(rs, 12),
                rs.getString(13),
                List.of());
    }
}
