package dev.opsdeck.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.opsdeck.config.Json;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The {@code alert_active} table: pending and firing alerts by fingerprint. */
final class AlertStore {
    private final Store store;

    AlertStore(Store store) {
        this.store = store;
    }

    /** Every stored alert; a plain read outside any transaction (SQLite would take the write lock for one). */
    List<ActiveAlert> load() {
        List<ActiveAlert> out = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM alert_active ORDER BY since_ms");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ActiveAlert(
                        rs.getString("fingerprint"),
                        rs.getString("name"),
                        ActiveAlert.State.valueOf(rs.getString("state")),
                        AlertEvent.Severity.valueOf(rs.getString("severity")),
                        rs.getString("service"),
                        rs.getString("check_id"),
                        rs.getLong("since_ms"),
                        rs.getInt("suppressed") != 0,
                        rs.getString("root_cause"),
                        rs.getString("summary"),
                        rs.getString("description"),
                        rs.getString("runbook"),
                        labels(rs.getString("labels")),
                        rs.getString("measured")));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read alerts: " + e.getMessage(), e);
        }
        return out;
    }

    /** Applies changes in one transaction: a value replaces the row, null deletes it. */
    void write(Map<String, ActiveAlert> changes) throws SQLException {
        try (Connection c = store.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM alert_active WHERE fingerprint = ?");
                    PreparedStatement insert = c.prepareStatement("INSERT INTO alert_active (fingerprint, name, state, "
                            + "severity, service, check_id, since_ms, suppressed, root_cause, summary, description, runbook, "
                            + "labels, measured) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (var e : changes.entrySet()) {
                    delete.setString(1, e.getKey());
                    delete.executeUpdate();
                    ActiveAlert a = e.getValue();
                    if (a == null) continue;
                    insert.setString(1, a.fingerprint());
                    insert.setString(2, cut(a.name(), 300));
                    insert.setString(3, a.state().name());
                    insert.setString(4, a.severity().name());
                    insert.setString(5, a.service());
                    insert.setString(6, a.check());
                    insert.setLong(7, a.sinceMs());
                    insert.setInt(8, a.suppressed() ? 1 : 0);
                    insert.setString(9, a.rootCause());
                    insert.setString(10, cut(a.summary(), 2000));
                    insert.setString(11, a.description());
                    insert.setString(12, cut(a.runbook(), 1000));
                    insert.setString(13, Json.MAPPER.writeValueAsString(a.labels()));
                    insert.setString(14, cut(a.value(), 400));
                    insert.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException | JsonProcessingException e) {
                c.rollback();
                throw e instanceof SQLException s ? s : new SQLException(e.getMessage(), e);
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static Map<String, String> labels(String json) throws SQLException {
        if (json == null) return Map.of();
        try {
            return Collections.unmodifiableMap(
                    Json.MAPPER.readValue(json, new TypeReference<Map<String, String>>() {}));
        } catch (JsonProcessingException e) {
            throw new SQLException("bad labels in alert_active: " + e.getOriginalMessage(), e);
        }
    }
}
