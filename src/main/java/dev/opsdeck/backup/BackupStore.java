package dev.opsdeck.backup;

import dev.opsdeck.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code backup} and {@code backup_copy} tables (V10). Plain JDBC, the same SQL on SQLite and PostgreSQL. */
final class BackupStore {
    private static final String COLUMNS =
            "id, target, file_name, status, started_ms, finished_ms, verified_ms, size_bytes,"
                    + " sha256, manifest, error";
    private final Store store;

    BackupStore(Store store) {
        this.store = store;
    }

    long start(String target, String fileName, long nowMs) {
        return store.inTransaction("backup", c -> {
            long id = dev.opsdeck.store.Counters.next(c, "backup_sequence", "backup");
            update(
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
        store.inTransaction(
                "backup",
                c -> update(
                        c,
                        "UPDATE backup SET finished_ms = ?, size_bytes = ?, sha256 = ?," + " manifest = ? WHERE id = ?",
                        finishedMs,
                        size,
                        sha256,
                        manifest,
                        id));
    }

    void status(long id, String status, Long verifiedMs, String error, long nowMs) {
        store.inTransaction(
                "backup",
                c -> update(
                        c,
                        "UPDATE backup SET status = ?, verified_ms = COALESCE(?, verified_ms),"
                                + " error = ?, finished_ms = COALESCE(finished_ms, ?) WHERE id = ?",
                        status,
                        verifiedMs,
                        trim(error),
                        nowMs,
                        id));
    }

    void copy(long id, Backup.Copy copy) {
        store.inTransaction("backup", c -> {
            int n = update(
                    c,
                    "UPDATE backup_copy SET location = ?, status = ?, attempts = ?, next_attempt_ms = ?,"
                            + " verified_ms = ?, error = ? WHERE backup_id = ? AND destination = ?",
                    copy.location(),
                    copy.status(),
                    copy.attempts(),
                    copy.nextAttemptMs(),
                    copy.verifiedMs(),
                    trim(copy.error()),
                    id,
                    copy.destination());
            if (n == 0) {
                update(
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
                        trim(copy.error()));
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
        return store.inTransaction(
                        "backup",
                        c -> update(
                                c,
                                "UPDATE backup SET status = ?, finished_ms = ?, error = ?"
                                        + " WHERE id = ? AND status = ?",
                                Backup.FAILED,
                                nowMs,
                                INTERRUPTED,
                                id,
                                Backup.RUNNING))
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

    private List<Backup> query(String sql, int limit, Object... args) {
        return store.read("backup", c -> {
            List<Backup> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(sql)) {
                bind(q, args);
                q.setMaxRows(limit);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Backup(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getLong(5),
                                nullable(rs, 6),
                                nullable(rs, 7),
                                nullable(rs, 8),
                                rs.getString(9),
                                rs.getString(10),
                                rs.getString(11),
                                List.of()));
                    }
                }
            }
            Map<Long, List<Backup.Copy>> copies = copies(c, out);
            return out.stream()
                    .map(b -> new Backup(
                            b.id(),
                            b.target(),
                            b.fileName(),
                            b.status(),
                            b.startedMs(),
                            b.finishedMs(),
                            b.verifiedMs(),
                            b.sizeBytes(),
                            b.sha256(),
                            b.manifest(),
                            b.error(),
                            List.copyOf(copies.getOrDefault(b.id(), List.of()))))
                    .toList();
        });
    }

    private static Map<Long, List<Backup.Copy>> copies(Connection c, List<Backup> backups) throws SQLException {
        Map<Long, List<Backup.Copy>> out = new LinkedHashMap<>();
        if (backups.isEmpty()) return out;
        String ids = String.join(
                ",", backups.stream().map(b -> Long.toString(b.id())).toList()); // numbers only
        try (PreparedStatement q = c.prepareStatement("SELECT backup_id, destination, location, status, attempts,"
                        + " next_attempt_ms, verified_ms, error FROM backup_copy WHERE backup_id IN (" + ids
                        + ") ORDER BY destination");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new Backup.Copy(
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getInt(5),
                                nullable(rs, 6),
                                nullable(rs, 7),
                                rs.getString(8)));
            }
        }
        return out;
    }

    static Long nullable(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static String trim(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        }
    }

    static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) s.setNull(i + 1, java.sql.Types.NULL);
            else s.setObject(i + 1, a);
        }
    }
}
