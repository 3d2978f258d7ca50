package dev.opsdeck.backup;

import dev.opsdeck.config.DrillDef;
import dev.opsdeck.probe.DrillProbes;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.condition.Condition;
import dev.opsdeck.probe.condition.ConditionSyntaxException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A drill's expectations, checked in the restored database: the number of tables, each named table's rows (at
 * least a minimum, and within a percentage of the live source's count), and the custom SQL assertions judged by
 * the check language. Each yields a {@link DrillResult.Check}; one failing never stops the others.
 */
final class DrillChecks {
    private final DrillDef def;
    private final PgTarget restored;
    private final PgTarget source;

    DrillChecks(DrillDef def, PgTarget restored, PgTarget source) {
        this.def = def;
        this.restored = restored;
        this.source = source;
    }

    /** Runs every check; {@code timeout} bounds each query. */
    List<DrillResult.Check> run(Duration timeout) {
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
        List<DrillResult.Check> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(restored.jdbcUrl(), restored.jdbcProperties())) {
            c.setReadOnly(true); // an assertion looks; it does not change what it judges
            if (def.minTables() != null) out.add(minTables(c, seconds));
            Connection[] live = {null};
            try {
                for (DrillDef.TableExpectation t : def.tables()) out.addAll(table(c, live, t, seconds));
            } finally {
                if (live[0] != null) live[0].close();
            }
            for (DrillDef.Assertion a : def.assertions()) out.add(assertion(c, a, seconds));
        } catch (SQLException e) {
            throw PgTools.connectFailure(restored, e);
        }
        return out;
    }

    private DrillResult.Check minTables(Connection c, int seconds) {
        String name = "min_tables";
        try {
            long n = count(
                    c,
                    "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog',"
                            + " 'information_schema')",
                    seconds);
            return new DrillResult.Check(name, n >= def.minTables(), n + " tables, at least " + def.minTables());
        } catch (SQLException e) {
            return new DrillResult.Check(name, false, sqlError(e));
        }
    }

    private List<DrillResult.Check> table(Connection c, Connection[] live, DrillDef.TableExpectation t, int seconds) {
        List<DrillResult.Check> out = new ArrayList<>();
        String prefix = "tables." + t.table() + ".";
        long rows;
        try {
            rows = count(c, "SELECT count(*) FROM " + quoted(t.table()), seconds);
        } catch (SQLException e) {
            String why = "42P01".equals(e.getSQLState())
                    ? t.table() + ": no such table in the restored database"
                    : sqlError(e);
            out.add(new DrillResult.Check(prefix + "min_rows", false, why));
            if (t.withinPercent() != null)
                out.add(new DrillResult.Check(prefix + "within_percent_of_source", false, why));
            return out;
        }
        out.add(new DrillResult.Check(
                prefix + "min_rows", rows >= t.minRows(), t.table() + ": " + rows + " rows, at least " + t.minRows()));
        if (t.withinPercent() == null) return out;
        String name = prefix + "within_percent_of_source";
        try {
            if (live[0] == null) live[0] = DriverManager.getConnection(source.jdbcUrl(), source.jdbcProperties());
            live[0].setReadOnly(true);
            long now = count(live[0], "SELECT count(*) FROM " + quoted(t.table()), seconds);
            double apart = now == rows ? 0 : 100.0 * Math.abs(rows - now) / Math.max(1, now);
            out.add(new DrillResult.Check(
                    name,
                    apart <= t.withinPercent(),
                    t.table() + ": " + rows + " rows restored, "
                            + now + " in the source " + source.where() + " ("
                            + String.format(Locale.ROOT, "%.1f", apart)
                            + "% apart, at most " + number(t.withinPercent()) + "%)"));
        } catch (SQLException e) {
            String why = e.getSQLState() != null && e.getSQLState().startsWith("08") || "28P01".equals(e.getSQLState())
                    ? PgTools.connectFailure(source, e).getMessage()
                    : sqlError(e);
            out.add(new DrillResult.Check(name, false, "source " + source.where() + ": " + why));
        }
        return out;
    }

    private static DrillResult.Check assertion(Connection c, DrillDef.Assertion a, int seconds) {
        String name = "assertions." + a.name();
        Condition condition;
        try {
            condition = DrillProbes.condition(a);
        } catch (ConditionSyntaxException e) { // validated at load; kept for a config built without validation
            return new DrillResult.Check(name, false, "bad condition: " + e.getMessage());
        }
        long start = System.nanoTime();
        Observation o = new Observation();
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(seconds);
            if (s.execute(a.query())) {
                long rows = 0;
                try (ResultSet rs = s.getResultSet()) {
                    while (rs.next()) {
                        if (rows == 0) o.put("VALUE", value(rs.getObject(1)));
                        rows++;
                    }
                }
                o.put("ROWS", rows);
            } else {
                o.put("ROWS", (long) s.getUpdateCount());
            }
        } catch (SQLException e) {
            return new DrillResult.Check(name, false, sqlError(e));
        }
        o.put("RESPONSE_TIME", Duration.ofNanos(System.nanoTime() - start));
        Condition.Outcome outcome = condition.evaluate(o);
        return new DrillResult.Check(name, outcome.holds(), outcome.message());
    }

    private static long count(Connection c, String sql, int seconds) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setQueryTimeout(seconds);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** {@code schema.table} as quoted identifiers; the config allows no quote in a name. */
    static String quoted(String table) {
        StringBuilder b = new StringBuilder();
        for (String part : table.split("\\.")) {
            if (!b.isEmpty()) b.append('.');
            b.append('"').append(part.replace("\"", "\"\"")).append('"');
        }
        return b.toString();
    }

    private static Object value(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) return ((Number) v).longValue();
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof Boolean) return v;
        return v == null ? null : v.toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String sqlError(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl))
                + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
    }
}
