package dev.opsdeck.probe.types;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.Failures;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Probe;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.postgresql.Driver;

/**
 * {@code type: postgres} — opens one fresh connection per run (a pool would hide exactly the
 * failures a monitor is for: refused connections, full connection slots, broken auth),
 * reads connection counts from pg_stat_activity and optionally runs a read-only query.
 */
public final class PostgresCheck implements CheckType {
    private static final String STATS = """
            select count(*),
                   count(*) filter (where state = 'active'),
                   count(*) filter (where state = 'idle'),
                   current_setting('max_connections')::int
            from pg_stat_activity where backend_type = 'client backend'""";

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public Set<String> placeholders() {
        return Set.of(
                "CONNECTED",
                "RESPONSE_TIME",
                "VALUE",
                "ROWS",
                "CONNECTIONS",
                "CONNECTIONS_ACTIVE",
                "CONNECTIONS_IDLE",
                "MAX_CONNECTIONS",
                "CONNECTIONS_PERCENT");
    }

    @Override
    public List<String> defaultConditions() {
        return List.of("[CONNECTED] == true");
    }

    @Override
    public Probe configure(CheckDef check, Fields f) {
        String url = f.requiredString("url");
        String query = f.string("query", null);
        if (url == null) {
            return null;
        }
        PostgresTarget target = PostgresTarget.parse(url);
        if (target == null) {
            // never echo the URL: it usually carries the password
            f.problem(
                    "url",
                    "not a PostgreSQL URL",
                    "write postgresql://user:password@host:5432/db or jdbc:postgresql://host:5432/db");
            return null;
        }
        return context -> {
            Deadline deadline = new Deadline(context.timeout());
            try {
                return probe(target, query, deadline);
            } catch (Failed e) {
                return Observation.failed(target.redact(e.getMessage()));
            } catch (SQLException e) {
                return Observation.failed(target.redact(PostgresErrors.describe(e, deadline)));
            } catch (RuntimeException e) {
                // whatever the driver throws, its message must not leave here unredacted
                return Observation.failed(target.redact(Failures.describe(e, context.timeout())));
            }
        };
    }

    private static Observation probe(PostgresTarget target, String query, Deadline deadline)
            throws SQLException, Failed {
        Properties props = target.properties();
        String seconds = String.valueOf(deadline.remainingSeconds());
        props.setProperty("loginTimeout", seconds);
        props.setProperty("connectTimeout", seconds);
        props.setProperty("socketTimeout", seconds);
        props.putIfAbsent("ApplicationName", "opsdeck");
        // the driver directly, not DriverManager: no global registry, no other driver answering
        try (Connection c = new Driver().connect(target.jdbcUrl(), props)) {
            if (c == null) {
                throw new Failed("the PostgreSQL driver rejected the URL");
            }
            Observation o = new Observation().put("CONNECTED", true);
            c.setAutoCommit(false);
            c.setReadOnly(true); // a monitoring query must never change data
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(deadline.remainingSeconds());
                stats(st, o);
                if (query != null) {
                    run(st, query, o, deadline);
                }
            } finally {
                c.rollback();
            }
            return o.put("RESPONSE_TIME", deadline.elapsed());
        }
    }

    private static void stats(Statement st, Observation o) throws SQLException {
        try (ResultSet rs = st.executeQuery(STATS)) {
            rs.next();
            long total = rs.getLong(1);
            long max = rs.getLong(4);
            o.put("CONNECTIONS", total)
                    .put("CONNECTIONS_ACTIVE", rs.getLong(2))
                    .put("CONNECTIONS_IDLE", rs.getLong(3))
                    .put("MAX_CONNECTIONS", max)
                    .put("CONNECTIONS_PERCENT", max == 0 ? 0.0 : total * 100.0 / max);
        }
    }

    private static void run(Statement st, String query, Observation o, Deadline deadline) throws Failed {
        try {
            st.setQueryTimeout(deadline.remainingSeconds());
            st.setMaxRows(10_000); // ROWS is a count, not a reason to pull a whole table
            try (ResultSet rs = st.executeQuery(query)) {
                long rows = 0;
                while (rs.next()) {
                    if (rows == 0) o.put("VALUE", value(rs.getObject(1)));
                    rows++;
                }
                o.put("ROWS", rows);
            }
        } catch (SQLException e) {
            throw new Failed("query failed: " + PostgresErrors.describe(e, deadline));
        }
    }

    private static Object value(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) return v;
        return String.valueOf(v); // timestamps, uuids, json...: compare as text
    }
}
