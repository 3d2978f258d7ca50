package dev.opsdeck.maintenance;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.opsdeck.config.Json;
import dev.opsdeck.store.Counters;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** How a stored maintenance window is laid out in the {@code maintenance_window} table, and read back from it. */
final class WindowRows {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    static final String COLUMNS = "id, services, starts_ms, ends_ms, days, at_minute, duration_ms, time_zone,"
            + " creator, comment, created_ms, ended_by";

    private WindowRows() {}

    static long nextId(Connection c) throws SQLException {
        return Counters.next(c, "maintenance_sequence", "maintenance");
    }

    static Optional<MaintenanceWindow> find(Connection c, long id) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM maintenance_window WHERE id = " + id).stream()
                .findFirst();
    }

    static List<MaintenanceWindow> query(Connection c, String sql) throws SQLException {
        List<MaintenanceWindow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long ends = rs.getLong("ends_ms");
                Long endsMs = rs.wasNull() ? null : ends;
                String days = rs.getString("days");
                int minute = rs.getInt("at_minute");
                LocalTime at = rs.wasNull() ? null : LocalTime.of(minute / 60, minute % 60);
                long dur = rs.getLong("duration_ms");
                Duration duration = rs.wasNull() ? null : Duration.ofMillis(dur);
                Set<DayOfWeek> daySet = days == null
                        ? Set.of()
                        : Set.copyOf(
                                strings(days).stream().map(DayOfWeek::valueOf).toList());
                out.add(new MaintenanceWindow(
                        rs.getLong("id"),
                        null,
                        strings(rs.getString("services")),
                        rs.getLong("starts_ms"),
                        endsMs,
                        daySet,
                        at,
                        duration,
                        ZoneId.of(rs.getString("time_zone")),
                        rs.getString("creator"),
                        rs.getString("comment"),
                        rs.getLong("created_ms"),
                        rs.getString("ended_by")));
            }
        }
        return out;
    }

    static String json(List<String> values) {
        try {
            return Json.MAPPER.writeValueAsString(values);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> strings(String json) {
        try {
            return Json.MAPPER.readValue(json, STRINGS);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable maintenance column: " + e.getMessage(), e);
        }
    }
}
