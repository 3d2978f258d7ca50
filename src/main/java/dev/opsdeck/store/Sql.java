package dev.opsdeck.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JDBC moves every store class makes: bind values to a statement, run an update, map each row of a query with a
 * lambda. The static methods work on a connection inside {@link Store#inTransaction} or {@link Store#read}; an
 * instance runs one statement on its own for a store and names its errors (SQL errors become a
 * {@link StoreException} whose message starts with {@code what}).
 *
 * <p>Values bind with {@code setObject}, so {@code null} is SQL NULL, except booleans, which bind as 0 and 1: every
 * table keeps them as SMALLINT, so that the same SQL runs on SQLite and PostgreSQL.
 */
public final class Sql {
    /** Reads the current row of a result into a value. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final Store store;
    private final String what;

    public Sql(Store store, String what) {
        this.store = store;
        this.what = what;
    }

    /** Runs {@code work} in one transaction: all of it is stored, or none. */
    public <T> T transaction(SqlWork<T> work) {
        return store.inTransaction(what, work);
    }

    /** Runs {@code work} in autocommit: on SQLite a transaction would take the write lock (IMMEDIATE mode). */
    public <T> T read(SqlWork<T> work) {
        return store.read(what, work);
    }

    /** One statement in a transaction of its own; the number of rows it changed. */
    public int update(String sql, Object... args) {
        return transaction(c -> update(c, sql, args));
    }

    /** A query on its own, in autocommit: every row mapped by {@code row}. */
    public <T> List<T> query(String sql, Row<T> row, Object... args) {
        return read(c -> query(c, sql, row, args));
    }

    /** A query on its own, in autocommit: at most {@code maxRows} rows (0: all) mapped by {@code row}. */
    public <T> List<T> query(String sql, int maxRows, Row<T> row, Object... args) {
        return read(c -> query(c, sql, maxRows, row, args));
    }

    /** A query on its own, in autocommit: the first row mapped by {@code row}, if there is one. */
    public <T> Optional<T> first(String sql, Row<T> row, Object... args) {
        return read(c -> first(c, sql, row, args));
    }

    /** Runs an INSERT, UPDATE or DELETE; the number of rows it changed. */
    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    /** Runs one statement for each row of values, as a single batch; nothing at all for no rows. */
    public static void batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] args : rows) {
                bind(ps, args);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Every row of the query, mapped by {@code row}. */
    public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        return query(c, sql, 0, row, args);
    }

    /** At most {@code maxRows} rows of the query (0: all), mapped by {@code row}; the SQL text stays as it is. */
    public static <T> List<T> query(Connection c, String sql, int maxRows, Row<T> row, Object... args)
            throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            if (maxRows > 0) ps.setMaxRows(maxRows);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) out.add(row.map(rs));
                return out;
            }
        }
    }

    /** The first row of the query mapped by {@code row}, if there is one. */
    public static <T> Optional<T> first(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        return query(c, sql, row, args).stream().findFirst();
    }

    /**
     * The rows of the query grouped by key: {@code row} reads each into its key and value; keys and values keep the
     * order the query gives them in.
     */
    public static <K, V> Map<K, List<V>> grouped(Connection c, String sql, Row<Map.Entry<K, V>> row, Object... args)
            throws SQLException {
        Map<K, List<V>> out = new LinkedHashMap<>();
        for (Map.Entry<K, V> e : query(c, sql, row, args)) {
            out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
        return out;
    }

    /** Ids written out for {@code IN (...)}: numbers only, so nothing can be injected through them. */
    public static String idList(List<Long> ids) {
        return String.join(",", ids.stream().map(id -> Long.toString(id)).toList());
    }

    /** A text cut to the 4000 characters a message or error column keeps, "..." marking the cut; null stays null. */
    public static String clipped(String text) {
        return text == null || text.length() <= 4000 ? text : text.substring(0, 3997) + "...";
    }

    /** A nullable BIGINT column. */
    public static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** A nullable BIGINT column. */
    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** A nullable INTEGER column. */
    public static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            bind(ps, args);
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Boolean b) ps.setInt(i + 1, b ? 1 : 0);
            else ps.setObject(i + 1, a);
        }
    }
}
