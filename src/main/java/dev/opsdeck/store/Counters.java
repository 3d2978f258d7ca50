package dev.opsdeck.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * Ids from counter rows ({@code <table>(name, value)}), taken inside the writing transaction: SQLite and PostgreSQL
 * share no autoincrement syntax, and the updated row stays locked until commit, so ids follow commit order even
 * when several nodes write.
 */
public final class Counters {
    private static final Pattern TABLE = Pattern.compile("[a-z_]+");

    private Counters() {}

    /** Increments counter {@code name} of {@code table} and returns its new value. */
    public static long next(Connection c, String table, String name) throws SQLException {
        if (!TABLE.matcher(table).matches()) throw new IllegalArgumentException("not a counter table: " + table);
        try (PreparedStatement up = c.prepareStatement("UPDATE " + table + " SET value = value + 1 WHERE name = ?")) {
            up.setString(1, name);
            up.executeUpdate();
        }
        try (PreparedStatement q = c.prepareStatement("SELECT value FROM " + table + " WHERE name = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) throw new SQLException("counter '" + name + "' missing from " + table);
                return rs.getLong(1);
            }
        }
    }
}
