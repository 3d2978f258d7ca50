package dev.opsdeck.store;

import dev.opsdeck.probe.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads history: raw results, rollup buckets, uptime and latency percentiles; prunes old rows. */
public final class HistoryRepository {
    /** One raw result. */
    public record RawResult(long atMs, Status status, int latencyMs, String message) {}

    /** One rollup bucket (or a sum of several). */
    public record Bucket(
            long startMs, long up, long degraded, long down, long latencySum, long latencyMax, long[] histogram) {
        public long total() {
            return up + degraded + down;
        }
        /** Uptime in percent, counting degraded as up (the service answered); NaN when empty. */
        public double uptimePercent() {
            return total() == 0 ? Double.NaN : 100.0 * (up + degraded) / total();
        }

        public long latencyMean() {
            return total() == 0 ? 0 : latencySum / total();
        }

        public long latencyPercentile(double q) {
            return LatencyHistogram.quantile(histogram, q, latencyMax);
        }
    }

    /** Retention per table, in milliseconds. */
    public record Retention(long rawMs, long minuteMs, long hourMs, long dayMs) {}

    private static final String BUCKET_COLUMNS;

    static {
        StringBuilder b = new StringBuilder("bucket_ms, up, degraded, down, latency_sum, latency_max");
        for (int i = 0; i < LatencyHistogram.SIZE; i++) b.append(", l").append(i);
        BUCKET_COLUMNS = b.toString();
    }

    private final Store store;

    public HistoryRepository(Store store) {
        this.store = store;
    }

    public List<RawResult> raw(String checkId, long sinceMs, int limit) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT at_ms, status, latency_ms, message FROM check_result "
                        + "WHERE check_id = ? AND at_ms >= ? ORDER BY at_ms DESC LIMIT ?")) {
            ps.setString(1, checkId);
            ps.setLong(2, sinceMs);
            ps.setInt(3, limit);
            List<RawResult> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RawResult(
                            rs.getLong(1), Status.values()[rs.getShort(2)], rs.getInt(3), rs.getString(4)));
                }
            }
            return out.reversed();
        }
    }

    /** Buckets of one resolution ('m', 'h', 'd') since a time, oldest first. */
    public List<Bucket> buckets(String checkId, char resolution, long sinceMs) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + BUCKET_COLUMNS + " FROM check_rollup "
                        + "WHERE check_id = ? AND resolution = ? AND bucket_ms >= ? ORDER BY bucket_ms")) {
            ps.setString(1, checkId);
            ps.setString(2, String.valueOf(resolution));
            ps.setLong(3, sinceMs);
            List<Bucket> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(bucket(rs, 1));
            }
            return out;
        }
    }

    /** One summed bucket per check for a window: uptime and percentiles for many checks in one query. */
    public Map<String, Bucket> summaries(List<String> checkIds, char resolution, long sinceMs) throws SQLException {
        Map<String, Bucket> out = new HashMap<>();
        if (checkIds.isEmpty()) return out;
        StringBuilder sums = new StringBuilder(
                "check_id, MIN(bucket_ms), SUM(up), SUM(degraded), SUM(down), " + "SUM(latency_sum), MAX(latency_max)");
        for (int i = 0; i < LatencyHistogram.SIZE; i++)
            sums.append(", SUM(l").append(i).append(")");
        String in = String.join(",", Collections.nCopies(checkIds.size(), "?"));
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + sums + " FROM check_rollup WHERE resolution = ? "
                        + "AND bucket_ms >= ? AND check_id IN (" + in + ") GROUP BY check_id")) {
            ps.setString(1, String.valueOf(resolution));
            ps.setLong(2, sinceMs);
            for (int i = 0; i < checkIds.size(); i++) ps.setString(3 + i, checkIds.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), bucket(rs, 2));
            }
        }
        return out;
    }

    /** Receives one check's result counts by status. */
    @FunctionalInterface
    public interface CountsSink {
        void accept(String checkId, long up, long degraded, long down);
    }

    /**
     * The result counts by status of every check over a window, summed from one resolution's rollups in one query
     * (no latency sums or histograms): what an in-memory uptime figure for every check is loaded from.
     */
    public void statusCounts(char resolution, long sinceMs, CountsSink sink) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT check_id, SUM(up), SUM(degraded), SUM(down) "
                        + "FROM check_rollup WHERE resolution = ? AND bucket_ms >= ? GROUP BY check_id")) {
            ps.setString(1, String.valueOf(resolution));
            ps.setLong(2, sinceMs);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) sink.accept(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        }
    }

    public List<StoredState> states() throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT check_id, status, since_ms, failures, successes, flapping, "
                                + "last_at_ms, last_latency_ms, last_message, definition_hash FROM check_state");
                ResultSet rs = ps.executeQuery()) {
            List<StoredState> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new StoredState(
                        rs.getString(1),
                        Status.parse(rs.getString(2)),
                        rs.getLong(3),
                        rs.getInt(4),
                        rs.getInt(5),
                        rs.getShort(6) != 0,
                        rs.getLong(7),
                        rs.getInt(8),
                        rs.getString(9),
                        rs.getString(10)));
            }
            return out;
        }
    }

    /** Deletes rows past their retention; returns how many went. */
    public int prune(long nowMs, Retention r) throws SQLException {
        int n = 0;
        try (Connection c = store.dataSource().getConnection()) {
            n += delete(c, "DELETE FROM check_result WHERE at_ms < ?", nowMs - r.rawMs(), null);
            n += delete(
                    c, "DELETE FROM check_rollup WHERE bucket_ms < ? AND resolution = ?", nowMs - r.minuteMs(), "m");
            n += delete(c, "DELETE FROM check_rollup WHERE bucket_ms < ? AND resolution = ?", nowMs - r.hourMs(), "h");
            n += delete(c, "DELETE FROM check_rollup WHERE bucket_ms < ? AND resolution = ?", nowMs - r.dayMs(), "d");
            // state of checks removed from the config (nothing has written it since) goes with their raw rows
            n += delete(c, "DELETE FROM check_state WHERE last_at_ms < ?", nowMs - r.rawMs(), null);
        }
        return n;
    }

    private static int delete(Connection c, String sql, long before, String resolution) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, before);
            if (resolution != null) ps.setString(2, resolution);
            return ps.executeUpdate();
        }
    }

    private static Bucket bucket(ResultSet rs, int first) throws SQLException {
        long[] hist = new long[LatencyHistogram.SIZE];
        for (int i = 0; i < hist.length; i++) hist[i] = rs.getLong(first + 6 + i);
        return new Bucket(
                rs.getLong(first),
                rs.getLong(first + 1),
                rs.getLong(first + 2),
                rs.getLong(first + 3),
                rs.getLong(first + 4),
                rs.getLong(first + 5),
                hist);
    }
}
