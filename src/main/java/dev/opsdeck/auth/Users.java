package dev.opsdeck.auth;

import dev.opsdeck.config.AuthConfig;
import dev.opsdeck.store.Sql;
import dev.opsdeck.store.SqlWork;
import dev.opsdeck.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The user accounts in the store, their passwords and sign-in with lockout. Validation failures are
 * {@link IllegalArgumentException}s whose message is fit to show as is; store failures are StoreExceptions.
 */
public final class Users {
    public record User(
            String name,
            Role role,
            boolean mustChangePassword,
            boolean disabled,
            long createdMs,
            Long passwordChangedMs) {}

    public sealed interface LoginResult {
        record Ok(Principal p) implements LoginResult {}

        record BadCredentials() implements LoginResult {}

        record Locked(Instant until) implements LoginResult {}
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final String COLUMNS =
            "name, role, must_change_password, disabled, created_ms, password_changed_ms, password_hash";
    /**
     * Verified for unknown users so a miss costs as much as a wrong password and does not reveal the name.
     * A fixed hash of a random string nobody knows (made with the current parameters, which a test checks):
     * hashing a fresh one cost every start ~0.2 s of a cold JVM's CPU. Knowing the string would not help
     * anyone: an unknown user never signs in, whatever the password.
     */
    static final String UNKNOWN_USER_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$gH9vxSWzGpEQIXxJBHVuKw$tXemxBCU5AVHZMFdupBcdZI+VajtFGzkIEHssNZMK/w";

    private final Sql db;
    private final AuthConfig config;
    private final Clock clock;
    private final Lockouts lockouts;

    public Users(Store store, AuthConfig config, Clock clock) {
        this.db = new Sql(store, "store error");
        this.config = config;
        this.clock = clock;
        this.lockouts = new Lockouts(db, config.lockout(), clock);
    }

    private record Stored(User user, String hash) {}

    public User create(String name, Role role, String password, boolean mustChange) {
        checkName(name);
        Objects.requireNonNull(role, "role");
        String problem = Passwords.policyProblem(password, name, config.passwordMinLength());
        if (problem != null) throw new IllegalArgumentException(problem);
        String hash = Passwords.hash(password);
        long now = clock.millis();
        return db.transaction(c -> {
            if (!Sql.query(c, "SELECT name FROM users WHERE name = ?", rs -> 1, name)
                    .isEmpty()) {
                throw new IllegalArgumentException("user '" + name + "' already exists");
            }
            Sql.update(
                    c,
                    "INSERT INTO users (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                    name,
                    role.label(),
                    mustChange,
                    false,
                    now,
                    null,
                    hash);
            return new User(name, role, mustChange, false, now, null);
        });
    }

    public Optional<User> find(String name) {
        return stored(name).map(Stored::user);
    }

    public List<User> list() {
        return db.query("SELECT " + COLUMNS + " FROM users ORDER BY name", rs -> read(rs).user());
    }

    public boolean any() {
        return !db.query("SELECT name FROM users LIMIT 1", rs -> 1).isEmpty();
    }

    /** True when an active service-account key holds the admin role: the store is administered without a user. */
    public boolean administeredByServiceAccount() {
        return !db.query(
                        "SELECT id FROM api_keys WHERE service_account = 1 AND role = ? AND revoked_ms IS NULL "
                                + "AND (expires_ms IS NULL OR expires_ms > ?) LIMIT 1",
                        rs -> 1,
                        Role.ADMIN.label(),
                        clock.millis())
                .isEmpty();
    }

    /** The user's own change: needs the current password; clears must-change. Other sessions are the caller's to end. */
    public void changePassword(String name, String current, String next) {
        Stored s = stored(name).orElseThrow(() -> noSuchUser(name));
        if (!Passwords.verify(current, s.hash())) throw new IllegalArgumentException("current password is wrong");
        String problem = Passwords.policyProblem(next, name, config.passwordMinLength());
        if (problem != null) throw new IllegalArgumentException(problem);
        if (next.equals(current)) throw new IllegalArgumentException("new password must differ from the current one");
        db.update(
                "UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_ms = ? WHERE name = ?",
                Passwords.hash(next),
                false,
                clock.millis(),
                name);
    }

    /** An administrator's reset: the user must change it at next sign-in; their sessions end now. */
    public void resetPassword(String name, String next) {
        String problem = Passwords.policyProblem(next, name, config.passwordMinLength());
        if (problem != null) throw new IllegalArgumentException(problem);
        String hash = Passwords.hash(next);
        long now = clock.millis();
        changeUser(name, c -> {
            Sql.update(
                    c,
                    "UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_ms = ? "
                            + "WHERE name = ?",
                    hash,
                    true,
                    now,
                    name);
            return Sql.update(c, "DELETE FROM sessions WHERE user_name = ?", name);
        });
    }

    public void setRole(String name, Role role) {
        Objects.requireNonNull(role, "role");
        changeUser(name, c -> {
            return Sql.update(c, "UPDATE users SET role = ? WHERE name = ?", role.label(), name);
        });
    }

    /** Disabling ends the user's sessions; their API keys are refused while disabled. */
    public void setDisabled(String name, boolean disabled) {
        changeUser(name, c -> {
            Sql.update(c, "UPDATE users SET disabled = ? WHERE name = ?", disabled, name);
            return disabled ? Sql.update(c, "DELETE FROM sessions WHERE user_name = ?", name) : 0;
        });
    }

    /** Deletes the user, their sessions and revokes their keys (kept for the record). */
    public void delete(String name) {
        long now = clock.millis();
        changeUser(name, c -> {
            Sql.update(
                    c,
                    "UPDATE api_keys SET revoked_ms = ? WHERE owner = ? AND service_account = 0 "
                            + "AND revoked_ms IS NULL",
                    now,
                    name);
            Sql.update(c, "DELETE FROM sessions WHERE user_name = ?", name);
            return Sql.update(c, "DELETE FROM users WHERE name = ?", name);
        });
    }

    /**
     * Signs in. Unknown user, wrong password and disabled user are all {@code BadCredentials} and cost the
     * same hash; a lock (per account or per source) is checked first, so even the right password is refused.
     */
    public LoginResult login(String name, String password, String source) {
        Optional<Instant> locked = lockouts.lockedUntil(name, source);
        if (locked.isPresent()) return new LoginResult.Locked(locked.get());
        Optional<Stored> s = name == null ? Optional.empty() : stored(name);
        boolean tooLong = password == null || password.length() > Passwords.MAX_LENGTH;
        boolean matches =
                Passwords.verify(tooLong ? "" : password, s.map(Stored::hash).orElse(UNKNOWN_USER_HASH));
        if (!matches || tooLong || s.isEmpty() || s.get().user().disabled()) {
            lockouts.recordFailure(name, source);
            return new LoginResult.BadCredentials();
        }
        lockouts.clearAccount(name);
        User u = s.get().user();
        return new LoginResult.Ok(new Principal(u.name(), u.role(), Principal.Kind.USER, null, u.mustChangePassword()));
    }

    /** Clears the account's recorded failures (an administrator's unlock). */
    public void unlock(String name) {
        lockouts.clearAccount(name);
    }

    /** Clears a source address's recorded failures. */
    public void unlockSource(String source) {
        lockouts.clearSource(source);
    }

    int minPasswordLength() {
        return config.passwordMinLength();
    }

    private Optional<Stored> stored(String name) {
        return db.first("SELECT " + COLUMNS + " FROM users WHERE name = ?", Users::read, name);
    }

    /**
     * Runs {@code change} on an existing user in one transaction, rolled back if it leaves no enabled admin
     * while the user was one: then nobody could manage users any more.
     */
    private void changeUser(String name, SqlWork<Integer> change) {
        db.transaction(c -> {
            User before =
                    Sql.query(c, "SELECT " + COLUMNS + " FROM users WHERE name = ?", rs -> read(rs).user(), name)
                            .stream()
                            .findFirst()
                            .orElseThrow(() -> noSuchUser(name));
            int changed = change.run(c);
            boolean wasAdmin = before.role() == Role.ADMIN && !before.disabled();
            if (wasAdmin
                    && Sql.query(
                                    c,
                                    "SELECT name FROM users WHERE role = ? AND disabled = 0 LIMIT 1",
                                    rs -> 1,
                                    Role.ADMIN.label())
                            .isEmpty()) {
                throw new IllegalArgumentException("refused: this would leave no enabled admin");
            }
            return changed;
        });
    }

    private static Stored read(ResultSet rs) throws SQLException {
        return new Stored(
                new User(
                        rs.getString(1),
                        Role.stored(rs.getString(2)),
                        rs.getInt(3) != 0,
                        rs.getInt(4) != 0,
                        rs.getLong(5),
                        Sql.nullableLong(rs, "password_changed_ms")),
                rs.getString(7));
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user name must be 1 to 64 characters of a-z, 0-9, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
    }

    static IllegalArgumentException noSuchUser(String name) {
        return new IllegalArgumentException("no user '" + name + "'");
    }
}
