package dev.opsdeck.credential;

import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The inventory's two tables (V17): each credential's fingerprints and state, each certificate's alerted level. */
final class InventoryStore {
    /** One credential's stored state. Fingerprints stay in this package: no view ever holds one. */
    record Row(
            String name,
            String fingerprint,
            String previousFingerprint,
            Long firstSeenMs,
            Long rotatedMs,
            Long previousUntilMs,
            long checkedMs,
            String state,
            String message,
            String alerted) {}

    private final Sql sql;

    InventoryStore(Store store) {
        this.sql = new Sql(store, "credential inventory");
    }

    Optional<Row> credential(String name) {
        return sql.first(
                "SELECT name, fingerprint, previous_fingerprint, first_seen_ms, rotated_ms, previous_until_ms,"
                        + " checked_ms, state, message, alerted FROM credential_state WHERE name = ?",
                rs -> new Row(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        Sql.nullableLong(rs, 4),
                        Sql.nullableLong(rs, 5),
                        Sql.nullableLong(rs, 6),
                        rs.getLong(7),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getString(10)),
                name);
    }

    void save(Row r) {
        sql.transaction(c -> {
            Object[] values = {
                r.fingerprint(),
                r.previousFingerprint(),
                r.firstSeenMs(),
                r.rotatedMs(),
                r.previousUntilMs(),
                r.checkedMs(),
                r.state(),
                Sql.clipped(r.message()),
                r.alerted(),
                r.name()
            };
            int n = Sql.update(
                    c,
                    "UPDATE credential_state SET fingerprint = ?, previous_fingerprint = ?, first_seen_ms = ?,"
                            + " rotated_ms = ?, previous_until_ms = ?, checked_ms = ?, state = ?, message = ?,"
                            + " alerted = ? WHERE name = ?",
                    values);
            if (n == 0) {
                Sql.update(
                        c,
                        "INSERT INTO credential_state (fingerprint, previous_fingerprint, first_seen_ms, rotated_ms,"
                                + " previous_until_ms, checked_ms, state, message, alerted, name)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        values);
            }
            return null;
        });
    }

    /** Every certificate place's alerted level, by id. */
    Map<String, Integer> certificateAlerts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        sql.query("SELECT id, alerted_days FROM certificate_alert", rs -> out.put(rs.getString(1), rs.getInt(2)));
        return out;
    }

    /** One certificate place's alert that fires: the threshold it last crossed and when. */
    record Alerted(String id, String source, int days, long atMs) {}

    List<Alerted> certificateAlertsFiring() {
        return sql.query(
                "SELECT id, source, alerted_days, alerted_ms FROM certificate_alert ORDER BY id",
                rs -> new Alerted(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
    }

    void alerted(String id, String source, int days, long atMs) {
        sql.transaction(c -> {
            if (Sql.update(
                            c,
                            "UPDATE certificate_alert SET alerted_days = ?, alerted_ms = ? WHERE id = ?",
                            days,
                            atMs,
                            id)
                    == 0) {
                Sql.update(
                        c,
                        "INSERT INTO certificate_alert (id, source, alerted_days, alerted_ms) VALUES (?, ?, ?, ?)",
                        id,
                        source,
                        days,
                        atMs);
            }
            return null;
        });
    }

    void cleared(String id) {
        sql.update("DELETE FROM certificate_alert WHERE id = ?", id);
    }
}
