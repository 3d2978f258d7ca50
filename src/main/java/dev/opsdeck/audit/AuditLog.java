package dev.opsdeck.audit;

import dev.opsdeck.config.Json;
import dev.opsdeck.store.Counters;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail, in the store and append-only: this class has no way to change or delete an entry.
 *
 * <p>Actions are {@code area.verb}, filtered by prefix ({@code auth.} finds every sign-in event). Recorded
 * today: {@code auth.login}, {@code auth.login_failed} (outcome {@code bad credentials} or {@code locked}),
 * {@code auth.logout}, {@code user.create}, {@code user.update}, {@code user.delete},
 * {@code user.password_change}, {@code user.password_reset}, {@code user.unlock}, {@code apikey.create},
 * {@code apikey.revoke}, {@code config.applied}, {@code config.reload_requested}, {@code audit.export}.
 * Incidents, runbooks, silences and backups add theirs ({@code incident.ack}, {@code runbook.run}, ...).
 * Outcomes are short words such as {@link #OK}, {@link #DENIED}, {@link #FAILED}, {@code locked}.
 *
 * <p>A failed write never throws: {@link #record} logs {@code event=audit_write_failed}, counts it
 * ({@link #failedWrites()}) and returns false, so an audit outage (the store down) does not also take down
 * sign-in; the log line and the count make the gap visible.
 */
public final class AuditLog {
    /** Common outcomes; any short text (up to 20 characters) is accepted, e.g. {@code "bad credentials"}. */
    public static final String OK = "ok", DENIED = "denied", FAILED = "failed";

    public record Entry(
            long id,
            long atMs,
            String actor,
            String source,
            String action,
            String target,
            String outcome,
            Map<String, Object> details) {
        /** The entry as the API and the JSON-lines export show it: snake_case, the time both as ISO-8601 and ms. */
        public Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("at", Instant.ofEpochMilli(atMs).toString());
            m.put("at_ms", atMs);
            m.put("actor", actor);
            m.put("source", source);
            m.put("action", action);
            m.put("target", target);
            m.put("outcome", outcome);
            m.put("details", details);
            return m;
        }
    }

    /**
     * Which entries: each non-null field narrows. {@code action} is a prefix; {@code sinceMs} is inclusive,
     * {@code untilMs} exclusive; {@code beforeId} pages backwards (pass the last id of the previous page).
     * {@code limit} is capped at {@value #MAX_PAGE}; 0 or less means {@value #DEFAULT_PAGE} for a page and no
     * limit for an export.
     */
    public record Filter(
            String actor, String action, String target, Long sinceMs, Long untilMs, int limit, Long beforeId) {
        public static Filter latest(int limit) {
            return new Filter(null, null, null, null, null, limit, null);
        }
    }

    static final int DEFAULT_PAGE = 100, MAX_PAGE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final Store store;
    private final Clock clock;
    private final AtomicLong failedWrites = new AtomicLong();

    public AuditLog(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Appends an entry; details are scrubbed of secrets first. True when it was stored. */
    public boolean record(
            String actor, String source, String action, String target, String outcome, Map<String, Object> details) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        try {
            String json = details == null
                    ? null
                    : Json.MAPPER.writeValueAsString(Scrubber.scrub(Json.MAPPER.valueToTree(details)));
            append(
                    clock.millis(),
                    cut(actor, 200),
                    cut(source, 100),
                    cut(action, 100),
                    cut(target, 300),
                    cut(outcome, 20),
                    json);
            return true;
        } catch (SQLException | RuntimeException | IOException e) {
            failedWrites.incrementAndGet();
            LOG.error("event=audit_write_failed action={} actor=\"{}\" error=\"{}\"", action, actor, e.toString());
            return false;
        }
    }

    /** How many entries could not be written since start (for metrics and /ready). */
    public long failedWrites() {
        return failedWrites.get();
    }

    /** One page, newest first. */
    public List<Entry> query(Filter f) {
        int limit = f.limit() <= 0 ? DEFAULT_PAGE : Math.min(f.limit(), MAX_PAGE);
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = AuditQuery.prepare(c, f, true, limit);
                ResultSet rs = ps.executeQuery()) {
            List<Entry> out = new ArrayList<>();
            while (rs.next()) out.add(read(rs));
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot read the audit log: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the matching entries as JSON lines, oldest first, row by row from the database (a cursor on
     * PostgreSQL), so an export of the whole log does not hold it in memory. A positive limit caps the lines.
     */
    public void export(Filter f, Writer out) throws IOException {
        try (Connection c = store.dataSource().getConnection()) {
            // PostgreSQL streams with a fetch size only inside a transaction; SQLite streams anyway, and there a
            // transaction would hold the write lock (IMMEDIATE mode) for the whole export
            boolean cursor = !store.embedded();
            if (cursor) c.setAutoCommit(false);
            try (PreparedStatement ps = AuditQuery.prepare(c, f, false, f.limit())) {
                ps.setFetchSize(500);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.write(Json.MAPPER.writeValueAsString(read(rs).view()));
                        out.write('\n');
                    }
                }
            } finally {
                if (cursor) {
                    c.rollback(); // read only
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the audit log: " + e.getMessage(), e);
        }
        out.flush();
    }

    private void append(
            long atMs, String actor, String source, String action, String target, String outcome, String details)
            throws SQLException {
        try (Connection c = store.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                long id = Counters.next(c, "audit_sequence", "audit_log");
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO audit_log (" + AuditQuery.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    Object[] values = {id, atMs, actor, source, action, target, outcome, details};
                    for (int i = 0; i < values.length; i++) insert.setObject(i + 1, values[i]);
                    insert.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static Entry read(ResultSet rs) throws SQLException {
        String details = rs.getString(8);
        Map<String, Object> map;
        try {
            map = details == null ? Map.of() : Json.MAPPER.readValue(details, Json.OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // only this class writes the column, always as valid JSON
        }
        return new Entry(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                map);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
