package dev.opsdeck.backup;

import dev.opsdeck.store.Counters;
import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code backup} and {@code backup_copy} tables (V10). Plain JDBC, the same SQL on SQLite and PostgreSQL. */
final class BackupStore {
    private static final String COLUMNS =
            "id, target, file_name, status, started_ms, finished_ms, verified_ms, size_bytes,"
                    + " sha256, manifest, error";
    private final Sql sql;

    BackupStore(Store store) {
        this.sql = new Sql(store, "backup");
    }

    long start(String target, String fileName, long nowMs) {
        return sql.transaction(c -> {
            long id = Counters.next(c, "backup_sequence", "backup");
            Sql.update(
                    c,
                    "INSERT INTO backup (id, target, file_name, status, started_ms) VALUES (?, ?, ?, ?, ?)",
                    id,
                    target,
                    fileName,
                    Backup.RUNNING,
                    nowMs);
            return id;
        });
    }

    void dumped(long id, long finishedMs, long size, String sha256, String manifest) {
        sql.update(
                "UPDATE backup SET finished_ms = ?, size_bytes = ?, sha256 = ?," + " manifest = ? WHERE id = ?",
                finishedMs,
                size,
                sha256,
                manifest,
                id);
    }

    void status(long id, String status, Long verifiedMs, String error, long nowMs) {
        sql.update(
                "UPDATE backup SET status = ?, verified_ms = COALESCE(?, verified_ms),"
                        + " error = ?, finished_ms = COALESCE(finished_ms, ?) WHERE id = ?",
                status,
                verifiedMs,
                Sql.clipped(error),
                nowMs,
                id);
    }

    void copy(long id, Backup.Copy copy) {
        sql.transaction(c -> {
            int n = Sql.update(
                    c,
                    "UPDATE backup_copy SET location = ?, status = ?, attempts = ?, next_attempt_ms = ?,"
                            + " verified_ms = ?, error = ? WHERE backup_id = ? AND destination = ?",
                    copy.location(),
                    copy.status(),
                    copy.attempts(),
                    copy.nextAttemptMs(),
                    copy.verifiedMs(),
                    Sql.clipped(copy.error()),
                    id,
                    copy.destination());
            if (n == 0) {
                Sql.update(
                        c,
                        "INSERT INTO backup_copy (backup_id, destination, location, status, attempts, next_attempt_ms,"
                                + " verified_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        id,
                        copy.destination(),
                        copy.location(),
                        copy.status(),
                        copy.attempts(),
                        copy.nextAttemptMs(),
                        copy.verifiedMs(),
                        Sql.clipped(copy.error()));
            }
            return null;
        });
    }

    static final String INTERRUPTED = "interrupted: Opsdeck stopped while this backup ran; its temporary files were"
            + " removed at the next start";

    /** Rows a killed process left 'running'. */
    List<Backup> running() {
        return query("SELECT " + COLUMNS + " FROM backup WHERE status = ? ORDER BY id", 10_000, Backup.RUNNING);
    }

    /** Marks a row a killed process left 'running' as failed; false when it is no longer running (already marked). */
    boolean interrupted(long id, long nowMs) {
        return sql.update(
                        "UPDATE backup SET status = ?, finished_ms = ?, error = ?" + " WHERE id = ? AND status = ?",
                        Backup.FAILED,
                        nowMs,
                        INTERRUPTED,
                        id,
                        Backup.RUNNING)
                == 1;
    }

    List<Backup> list(String target, int limit) {
        return query(
                "SELECT " + COLUMNS + " FROM backup WHERE target = ? ORDER BY started_ms DESC, id DESC", limit, target);
    }

    List<Backup> withCopiesIn(String status) {
        return query(
                "SELECT " + COLUMNS + " FROM backup WHERE id IN (SELECT backup_id FROM backup_copy WHERE status = ?)"
                        + " ORDER BY id",
                10_000,
                status);
    }

    Backup get(long id) {
        List<Backup> l = query("SELECT " + COLUMNS + " FROM backup WHERE id = ?", 1, id);
        return l.isEmpty() ? null : l.getFirst();
    }

    private List<Backup> query(String select, int limit, Object... args) {
        return sql.read(c -> {
            List<Backup> out = Sql.query(c, select, limit, BackupStore::backup, args);
            Map<Long, List<Backup.Copy>> copies = copies(c, out);
            return out.stream()
                    .map(b -> b.withCopies(List.copyOf(copies.getOrDefault(b.id(), List.of()))))
                    .toList();
        });
    }

    private static Backup backup(ResultSet rs) throws SQLException {
        return new Backup(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                Sql.nullableLong(rs, 6),
                Sql.nullableLong(rs, 7),
                Sql.nullableLong(rs, 8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11),
                List.of());
    }

    private static Map<Long, List<Backup.Copy>> copies(Connection c, List<Backup> backups) throws SQLException {
        if (backups.isEmpty()) return new LinkedHashMap<>();
        String ids = Sql.idList(backups.stream().map(Backup::id).toList());
        return Sql.grouped(
                c,
                "SELECT backup_id, destination, location, status, attempts,"
                        + " next_attempt_ms, verified_ms, error FROM backup_copy WHERE backup_id IN (" + ids
                        + ") ORDER BY destination",
                rs -> Map.entry(
                        rs.getLong(1),
                        new Backup.Copy(
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getInt(5),
                                Sql.nullableLong(rs, 6),
                                Sql.nullableLong(rs, 7),
                                rs.getString(8))));
    }
}
