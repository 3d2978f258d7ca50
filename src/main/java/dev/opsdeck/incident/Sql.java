package dev.opsdeck.incident;

import dev.opsdeck.config.Json;
import dev.opsdeck.store.Store;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The few JDBC moves this package repeats: a transaction, a bound statement, a row mapper, JSON columns. */
final class Sql {

    private Sql() {}

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Runs {@code work} in one transaction: all of it is stored, or none. */
    static <T> T inTransaction(Store store, Work<T> work) {
        return store.inTransaction("incident store", work::run);
    }

    /** A plain read in autocommit: on SQLite a transaction would take the write lock (IMMEDIATE mode). */
    static <T> T read(Store store, Work<T> work) {
        return store.read("incident store", work::run);
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), args)) {
            return ps.executeUpdate();
        }
    }

    static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), args);
                ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) out.add(row.map(rs));
            return out;
        }
    }

    /** The next id from a counter row; the row stays locked until commit, so ids follow commit order. */
    static long nextId(Connection c, String counter) throws SQLException {
        return dev.opsdeck.store.Counters.next(c, "incident_sequence", counter);
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static String json(Object value) {
        return value == null ? null : Json.write(value);
    }

    static Map<String, Object> map(String json) {
        try {
            return json == null ? Map.of() : Json.MAPPER.readValue(json, Json.OBJECT);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable JSON column: " + e.getMessage(), e);
        }
    }

    private static PreparedStatement bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
        return ps;
    }
}
