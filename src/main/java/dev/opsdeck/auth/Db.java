package dev.opsdeck.auth;

import dev.opsdeck.store.Store;
import dev.opsdeck.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Small JDBC helpers for the auth tables. SQL errors become {@link StoreException}: callers (the HTTP gate,
 * the CLI) cannot do anything useful with a checked SQLException, and every statement binds its values.
 */
final class Db {
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final Store store;

    Db(Store store) {
        this.store = store;
    }

    /** Runs {@code work} in one transaction, rolled back if anything fails. */
    <T> T transaction(Work<T> work) {
        return store.inTransaction("store error", work::run);
    }

    /**
     * Runs reads in autocommit, outside a transaction: on SQLite a transaction takes the write lock when it
     * begins, and lookups on every request must not queue behind writers for it.
     */
    <T> T read(Work<T> work) {
        try (Connection c = store.dataSource().getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("store error: " + e.getMessage(), e);
        }
    }

    int update(String sql, Object... args) {
        return transaction(c -> update(c, sql, args));
    }

    /** A read on its own, in autocommit: no transaction, so it never holds the embedded store's write lock. */
    <T> List<T> list(String sql, Row<T> row, Object... args) {
        return store.read("store error", c -> list(c, sql, row, args));
    }

    <T> Optional<T> first(String sql, Row<T> row, Object... args) {
        return list(sql, row, args).stream().findFirst();
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    static <T> List<T> list(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row.read(rs));
            }
            return out;
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Boolean b) ps.setInt(i + 1, b ? 1 : 0);
            else if (a instanceof Role r) ps.setString(i + 1, r.label());
            else ps.setObject(i + 1, a);
        }
    }

    /** A nullable BIGINT column. */
    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Role role(String label) {
        return Role.parse(label).orElseThrow(() -> new StoreException("unknown role in store: " + label, null));
    }
}
