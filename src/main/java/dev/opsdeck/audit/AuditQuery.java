package dev.opsdeck.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SELECT for a {@link AuditLog.Filter}. Only fixed SQL text is concatenated; every value the caller gave
 * is a bound parameter, so a filter such as {@code ' OR 1=1 --} matches nothing rather than everything.
 */
final class AuditQuery {
    static final String COLUMNS = "id, at_ms, actor, source, action, target, outcome, details";

    private AuditQuery() {}

    /** Newest first ({@code newestFirst}, for pages) or oldest first (for exports); at most {@code limit} rows if > 0. */
    static PreparedStatement prepare(Connection c, AuditLog.Filter f, boolean newestFirst, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.actor() != null) {
            sql.append(" AND actor = ?");
            args.add(f.actor());
        }
        if (f.action() != null && !f.action().isEmpty()) {
            // a prefix by SUBSTR, not LIKE: LIKE's wildcards would need escaping and its case rules differ
            // between SQLite (insensitive) and PostgreSQL (sensitive)
            sql.append(" AND SUBSTR(action, 1, ?) = ?");
            args.add(f.action().length());
            args.add(f.action());
        }
        if (f.target() != null) {
            sql.append(" AND target = ?");
            args.add(f.target());
        }
        if (f.sinceMs() != null) {
            sql.append(" AND at_ms >= ?");
            args.add(f.sinceMs());
        }
        if (f.untilMs() != null) {
            sql.append(" AND at_ms < ?");
            args.add(f.untilMs());
        }
        if (f.beforeId() != null) {
            sql.append(" AND id < ?");
            args.add(f.beforeId());
        }
        sql.append(newestFirst ? " ORDER BY id DESC" : " ORDER BY id");
        if (limit > 0) {
            sql.append(" LIMIT ?");
            args.add(limit);
        }
        PreparedStatement ps = c.prepareStatement(sql.toString());
        for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
        return ps;
    }
}
