package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Datasource;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.condition.Condition;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Runs a {@code sql} step: the query as written, its {@code args} bound as parameters. {@code [VALUE]} is the first
 * column of the first row, {@code [ROWS]} the number of rows (or rows changed); the step's conditions judge them.
 */
final class SqlStep {
    private SqlStep() {}

    static StepResult run(
            Datasource ds, String query, List<String> args, List<Condition> conditions, Duration timeout) {
        Properties props = new Properties();
        if (ds.url().user() != null) props.setProperty("user", ds.url().user());
        String password = ds.password() != null ? ds.password() : ds.url().password();
        if (password != null) props.setProperty("password", password);
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
        props.setProperty("connectTimeout", String.valueOf(Math.min(seconds, 30)));
        props.setProperty("socketTimeout", String.valueOf(seconds + 1));
        long start = System.nanoTime();
        Observation o = new Observation();
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection(ds.url().jdbcUrl(), props);
                PreparedStatement ps = c.prepareStatement(query)) {
            ps.setQueryTimeout(seconds);
            for (int i = 0; i < args.size(); i++) ps.setString(i + 1, args.get(i));
            if (ps.execute()) {
                long rows = 0;
                try (ResultSet rs = ps.getResultSet()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        if (rows == 0) o.put("VALUE", value(rs.getObject(1)));
                        if (rows < 20) {
                            List<String> cells = new ArrayList<>();
                            for (int col = 1; col <= columns; col++) cells.add(String.valueOf(rs.getObject(col)));
                            out.append(String.join(" | ", cells)).append('\n');
                        }
                        rows++;
                    }
                }
                o.put("ROWS", rows);
                out.append("(").append(rows).append(rows == 1 ? " row)" : " rows)");
            } else {
                long changed = ps.getUpdateCount();
                o.put("ROWS", changed);
                out.append("(").append(changed).append(" rows changed)");
            }
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")";
            return StepResult.failed("datasource " + ds.name() + ": " + firstLine(e.getMessage()) + state);
        }
        o.put("RESPONSE_TIME", Duration.ofNanos(System.nanoTime() - start));
        List<String> failed = new ArrayList<>();
        for (Condition cond : conditions) {
            Condition.Outcome r = cond.evaluate(o);
            if (!r.holds()) failed.add(r.message());
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (o.has("VALUE")) values.put("value", String.valueOf(o.get("VALUE")));
        values.put("rows", String.valueOf(o.get("ROWS")));
        if (!failed.isEmpty()) return new StepResult(false, null, out.toString(), values, String.join("; ", failed));
        return new StepResult(
                true,
                null,
                out.toString(),
                values,
                o.get("ROWS") + " rows in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    private static Object value(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) return ((Number) v).longValue();
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof Boolean) return v;
        return v == null ? null : v.toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
