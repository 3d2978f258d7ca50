package dev.opsdeck.auth;

import dev.opsdeck.config.AuthConfig;
import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import java.time.Clock;
import java.util.Optional;

/**
 * Dashboard sessions. The browser holds a random token; the store holds only its SHA-256, the CSRF token and
 * the times. Role, must-change and disabled are read from the user on every lookup, so demoting or disabling a
 * user takes effect on their open sessions at once.
 */
public final class Sessions {
    public record Session(
            String user, Role role, String csrfToken, long createdMs, long lastSeenMs, boolean mustChangePassword) {}

    public record Created(String token, Session session) {}

    /**
     * last_seen is written at most this often per session, to spare the store a write per request. The idle
     * timeout may therefore end a session up to this much early.
     */
    static final long TOUCH_EVERY_MS = 30_000;

    private final Sql db;
    private final AuthConfig config;
    private final Clock clock;

    public Sessions(Store store, AuthConfig config, Clock clock) {
        this.db = new Sql(store, "store error");
        this.config = config;
        this.clock = clock;
    }

    /** Starts a session for an existing, enabled user; the token is returned once and never stored. */
    public Created create(String user) {
        String token = Tokens.random(32), csrf = Tokens.random(32);
        long now = clock.millis();
        return db.transaction(c -> {
            Optional<Owner> owner = Sql.query(
                            c,
                            "SELECT role, must_change_password, disabled FROM users WHERE name = ?",
                            rs -> new Owner(Role.stored(rs.getString(1)), rs.getInt(2) != 0, rs.getInt(3) != 0),
                            user)
                    .stream()
                    .findFirst();
            if (owner.isEmpty() || owner.get().disabled()) throw Users.noSuchUser(user);
            Sql.update(
                    c,
                    "INSERT INTO sessions (token_hash, user_name, csrf_token, created_ms, last_seen_ms) "
                            + "VALUES (?, ?, ?, ?, ?)",
                    Tokens.sha256(token),
                    user,
                    csrf,
                    now,
                    now);
            return new Created(
                    token,
                    new Session(
                            user,
                            owner.get().role(),
                            csrf,
                            now,
                            now,
                            owner.get().mustChangePassword()));
        });
    }

    /** The live session for a token: empty when unknown, expired (then deleted) or its user is disabled. */
    public Optional<Session> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) return Optional.empty();
        String hash = Tokens.sha256(token);
        long now = clock.millis();
        Optional<Found> found = db.first(
                "SELECT s.user_name, u.role, s.csrf_token, s.created_ms, s.last_seen_ms, "
                        + "u.must_change_password, u.disabled FROM sessions s JOIN users u ON u.name = s.user_name "
                        + "WHERE s.token_hash = ?",
                rs -> new Found(
                        new Session(
                                rs.getString(1),
                                Role.stored(rs.getString(2)),
                                rs.getString(3),
                                rs.getLong(4),
                                rs.getLong(5),
                                rs.getInt(6) != 0),
                        rs.getInt(7) != 0),
                hash);
        if (found.isEmpty()) return Optional.empty();
        Session s = found.get().session();
        if (found.get().userDisabled() || expired(s, now)) {
            db.update("DELETE FROM sessions WHERE token_hash = ?", hash);
            return Optional.empty();
        }
        if (now - s.lastSeenMs() >= TOUCH_EVERY_MS) {
            db.update("UPDATE sessions SET last_seen_ms = ? WHERE token_hash = ?", now, hash);
            s = new Session(s.user(), s.role(), s.csrfToken(), s.createdMs(), now, s.mustChangePassword());
        }
        return Optional.of(s);
    }

    /** Signs out one session (no-op for an unknown token). */
    public void delete(String token) {
        if (token != null) db.update("DELETE FROM sessions WHERE token_hash = ?", Tokens.sha256(token));
    }

    /** Ends every session of a user, e.g. after a password change (the gate then creates a fresh one). */
    public void deleteAllFor(String user) {
        db.update("DELETE FROM sessions WHERE user_name = ?", user);
    }

    /** Deletes expired sessions; returns how many. Lookups delete expired ones too, this catches the abandoned. */
    public int prune() {
        long now = clock.millis();
        return db.update(
                "DELETE FROM sessions WHERE last_seen_ms <= ? OR created_ms <= ?",
                now - config.sessionIdle().toMillis(),
                now - config.sessionAbsolute().toMillis());
    }

    private record Owner(Role role, boolean mustChangePassword, boolean disabled) {}

    private record Found(Session session, boolean userDisabled) {}

    private boolean expired(Session s, long now) {
        return now - s.lastSeenMs() >= config.sessionIdle().toMillis()
                || now - s.createdMs() >= config.sessionAbsolute().toMillis();
    }
}
