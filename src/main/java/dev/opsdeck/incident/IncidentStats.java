package dev.opsdeck.incident;

import dev.opsdeck.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Mean time to acknowledge (from opening to the first acknowledgement) and to resolve (from opening to the final
 * resolution), per severity and per severity and service, over incidents opened since a given time. Computed
 * from the store, so they survive restarts and agree between the API and /metrics.
 */
public record IncidentStats(
        long sinceMs, List<Figure> bySeverity, List<Figure> byService, Map<String, Long> open, long slaBreaches) {
    /**
     * {@code service} is null in the per-severity figures. {@code acknowledged} and {@code resolved} count the
     * incidents (of {@code incidents}) acknowledged at least once and resolved now; the means are over exactly
     * those, and null when there are none.
     */
    public record Figure(
            String severity,
            String service,
            long incidents,
            long acknowledged,
            long resolved,
            Double mttaSeconds,
            Double mttrSeconds,
            long slaBreaches) {}

    static IncidentStats compute(Connection c, long sinceMs) throws SQLException {
        List<long[]> sums = new ArrayList<>();
        List<String[]> keys = new ArrayList<>();
        Sql.query(
                c,
                "SELECT severity, service, COUNT(*),"
                        + " SUM(CASE WHEN first_acked_ms IS NULL THEN 0 ELSE 1 END),"
                        + " SUM(CASE WHEN first_acked_ms IS NULL THEN 0 ELSE first_acked_ms - opened_ms END),"
                        + " SUM(CASE WHEN resolved_ms IS NULL THEN 0 ELSE 1 END),"
                        + " SUM(CASE WHEN resolved_ms IS NULL THEN 0 ELSE resolved_ms - opened_ms END),"
                        + " SUM(ack_breached + resolve_breached)"
                        + " FROM incident WHERE opened_ms >= ? GROUP BY severity, service ORDER BY severity, service",
                rs -> {
                    keys.add(new String[] {rs.getString(1), rs.getString(2) == null ? "none" : rs.getString(2)});
                    sums.add(new long[] {
                        rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)
                    });
                    return null;
                },
                sinceMs);
        List<Figure> byService = new ArrayList<>();
        Map<String, long[]> perSeverity = new TreeMap<>();
        for (int i = 0; i < keys.size(); i++) {
            long[] s = sums.get(i);
            byService.add(figure(keys.get(i)[0], keys.get(i)[1], s));
            long[] total = perSeverity.computeIfAbsent(keys.get(i)[0], k -> new long[6]);
            for (int j = 0; j < 6; j++) total[j] += s[j];
        }
        List<Figure> bySeverity = new ArrayList<>();
        perSeverity.forEach((severity, s) -> bySeverity.add(figure(severity, null, s)));
        Map<String, Long> open = new TreeMap<>(Map.of("P1", 0L, "P2", 0L, "P3", 0L, "P4", 0L));
        Sql.query(
                c,
                "SELECT severity, COUNT(*) FROM incident WHERE resolved_ms IS NULL GROUP BY severity",
                rs -> open.put(rs.getString(1), rs.getLong(2)));
        long breaches = Sql.query(
                        c,
                        "SELECT COALESCE(SUM(ack_breached + resolve_breached), 0) FROM incident",
                        rs -> rs.getLong(1))
                .getFirst();
        return new IncidentStats(sinceMs, bySeverity, byService, open, breaches);
    }

    private static Figure figure(String severity, String service, long[] s) {
        return new Figure(
                severity,
                service,
                s[0],
                s[1],
                s[3],
                s[1] == 0 ? null : s[2] / 1000.0 / s[1],
                s[3] == 0 ? null : s[4] / 1000.0 / s[3],
                s[5]);
    }
}
