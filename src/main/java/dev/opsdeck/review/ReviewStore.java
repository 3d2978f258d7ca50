package dev.opsdeck.review;

import dev.opsdeck.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The review tables: one row per written review and its corrective actions. */
final class ReviewStore {
    /** A stored review; {@code completedMs} null while it is a draft. */
    record Row(
            long incidentId, ReviewText text, long updatedMs, String updatedBy, Long completedMs, String completedBy) {}

    private static final String COLUMNS = "incident_id, root_cause, impact, affected_users, remediation, detection_gap,"
            + " runbook_improvements, completed_ms, completed_by, updated_ms, updated_by";

    private final Store store;

    ReviewStore(Store store) {
        this.store = store;
    }

    Optional<Row> find(long incidentId) {
        return store.read("review", c -> find(c, incidentId));
    }

    /** When each written review was completed (null: a draft), by incident id. */
    Map<Long, Long> completions() {
        return store.read("reviews", c -> {
            Map<Long, Long> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT incident_id, completed_ms FROM incident_review");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    long completed = rs.getLong(2);
                    out.put(id, rs.wasNull() ? null : completed);
                }
            }
            return out;
        });
    }

    /** Writes the review's text and replaces its actions; a completed review stays completed. */
    Row save(long incidentId, ReviewText t, long nowMs, String actor) {
        return store.inTransaction("review", c -> {
            boolean exists = find(c, incidentId).isPresent();
            String sql = exists
                    ? "UPDATE incident_review SET root_cause = ?, impact = ?, affected_users = ?, remediation = ?,"
                            + " detection_gap = ?, runbook_improvements = ?, updated_ms = ?, updated_by = ? WHERE incident_id = ?"
                    : "INSERT INTO incident_review (root_cause, impact, affected_users, remediation, detection_gap,"
                            + " runbook_improvements, updated_ms, updated_by, incident_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, t.rootCause());
                ps.setString(2, t.impact());
                ps.setString(3, t.affectedUsers());
                ps.setString(4, t.remediation());
                ps.setString(5, t.detectionGap());
                ps.setString(6, t.runbookImprovements());
                ps.setLong(7, nowMs);
                ps.setString(8, actor);
                ps.setLong(9, incidentId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM review_action WHERE incident_id = ?")) {
                ps.setLong(1, incidentId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO review_action (incident_id, position,"
                    + " description, owner, due_date, status) VALUES (?, ?, ?, ?, ?, ?)")) {
                int position = 0;
                for (CorrectiveAction a : t.actions()) {
                    ps.setLong(1, incidentId);
                    ps.setInt(2, position++);
                    ps.setString(3, a.description());
                    ps.setString(4, a.owner());
                    ps.setString(5, a.due().toString());
                    ps.setString(6, a.status().label());
                    ps.addBatch();
                }
                if (position > 0) ps.executeBatch();
            }
            return find(c, incidentId).orElseThrow();
        });
    }

    /** Marks the review completed; false when there is no draft to complete (none, or already completed). */
    boolean complete(long incidentId, long nowMs, String actor) {
        return store.inTransaction("review", c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE incident_review SET completed_ms = ?, completed_by = ?,"
                            + " updated_ms = ?, updated_by = ? WHERE incident_id = ? AND completed_ms IS NULL")) {
                ps.setLong(1, nowMs);
                ps.setString(2, actor);
                ps.setLong(3, nowMs);
                ps.setString(4, actor);
                ps.setLong(5, incidentId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static Optional<Row> find(Connection c, long incidentId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + COLUMNS + " FROM incident_review WHERE incident_id = ?")) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                ReviewText text = new ReviewText(
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        actions(c, incidentId));
                long completed = rs.getLong(8);
                Long completedMs = rs.wasNull() ? null : completed;
                return Optional.of(
                        new Row(incidentId, text, rs.getLong(10), rs.getString(11), completedMs, rs.getString(9)));
            }
        }
    }

    private static List<CorrectiveAction> actions(Connection c, long incidentId) throws SQLException {
        List<CorrectiveAction> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT description, owner, due_date, status FROM review_action"
                + " WHERE incident_id = ? ORDER BY position")) {
            ps.setLong(1, incidentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CorrectiveAction(
                            rs.getString(1),
                            rs.getString(2),
                            LocalDate.parse(rs.getString(3)),
                            CorrectiveAction.Status.valueOf(rs.getString(4).toUpperCase(Locale.ROOT))));
                }
            }
        }
        return List.copyOf(out);
    }
}
