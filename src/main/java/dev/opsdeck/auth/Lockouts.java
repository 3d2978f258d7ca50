package dev.opsdeck.auth;

import dev.opsdeck.config.AuthConfig;
import dev.opsdeck.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Login failures per account and per source address, kept in the store so a lock survives a restart and
 * holds on every node sharing a PostgreSQL store. A subject is locked when its last {@code max_failures}
 * failures fall within {@code window} of each other, until {@code duration} after the last of them.
 * Attempts refused because of a lock are not counted, so a lock cannot be prolonged forever by an attacker
 * guessing at someone else's account.
 */
final class Lockouts {
    private static final String ACCOUNT = "a", SOURCE = "s";
    private static final int MAX_SUBJECT = 100;

    private final Sql db;
    private final AuthConfig.Lockout config;
    private final Clock clock;

    Lockouts(Sql db, AuthConfig.Lockout config, Clock clock) {
        this.db = db;
        this.config = config;
        this.clock = clock;
    }

    /** When the account or the source is locked now, the later of their ends. */
    Optional<Instant> lockedUntil(String account, String source) {
        if (!config.enabled()) return Optional.empty();
        long now = clock.millis();
        return db.read(c -> {
            long until = Math.max(until(c, ACCOUNT, account), until(c, SOURCE, source));
            return until > now ? Optional.of(Instant.ofEpochMilli(until)) : Optional.empty();
        });
    }

    void recordFailure(String account, String source) {
        if (!config.enabled()) return;
        long now = clock.millis();
        // rows older than window + duration can no longer lock anything
        long stale = now - config.window().toMillis() - config.duration().toMillis();
        db.transaction(c -> {
            String insert = "INSERT INTO login_failures (kind, subject, at_ms) VALUES (?, ?, ?)";
            Sql.update(c, insert, ACCOUNT, subject(account), now);
            Sql.update(c, insert, SOURCE, subject(source), now);
            return Sql.update(c, "DELETE FROM login_failures WHERE at_ms < ?", stale);
        });
    }

    void clearAccount(String account) {
        db.update("DELETE FROM login_failures WHERE kind = ? AND subject = ?", ACCOUNT, subject(account));
    }

    void clearSource(String source) {
        db.update("DELETE FROM login_failures WHERE kind = ? AND subject = ?", SOURCE, subject(source));
    }

    /** The end of this subject's lock, or 0 when its recent failures do not lock it. */
    private long until(Connection c, String kind, String subject) throws SQLException {
        int max = config.maxFailures();
        List<Long> recent = Sql.query(
                c,
                "SELECT at_ms FROM login_failures WHERE kind = ? AND subject = ? " + "ORDER BY at_ms DESC LIMIT ?",
                rs -> rs.getLong(1),
                kind,
                subject(subject),
                max);
        if (recent.size() < max) return 0;
        long last = recent.getFirst(), first = recent.getLast();
        return last - first < config.window().toMillis()
                ? last + config.duration().toMillis()
                : 0;
    }

    /** Unknown sources share one bucket; over-long names (attacker-chosen) are cut to the column size. */
    private static String subject(String s) {
        if (s == null || s.isEmpty()) return "unknown";
        return s.length() > MAX_SUBJECT ? s.substring(0, MAX_SUBJECT) : s;
    }
}
