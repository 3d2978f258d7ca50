package dev.opsdeck.auth;

import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys: {@code odk_<id>_<secret>}, of which the store keeps only the SHA-256. A key belongs to a user (and
 * never acts above that user's current role) or is a service account's (then {@code owner} is the account's own
 * name, not a user). An owner may hold several active keys, so a key is rotated by creating the new one,
 * switching clients over, then revoking the old one.
 */
public final class ApiKeys {
    public record ApiKey(
            String id,
            String name,
            String owner,
            Role role,
            boolean serviceAccount,
            long createdMs,
            Long expiresMs,
            Long lastUsedMs,
            String lastUsedFrom,
            Long revokedMs) {}

    /** The secret is shown once, at creation, and cannot be recovered. */
    public record Created(ApiKey key, String secret) {}

    /** Last use is written at most this often per key, to spare the store a write per request. */
    static final long TOUCH_EVERY_MS = 30_000;

    private static final Pattern SECRET = Pattern.compile("odk_([0-9a-f]{8})_[A-Za-z0-9_-]{43}");
    private static final Pattern OWNER = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final String COLUMNS = "id, name, owner, role, service_account, created_ms, expires_ms, "
            + "last_used_ms, last_used_from, revoked_ms, secret_hash";
    private static final String DUMMY_DIGEST = Tokens.sha256("no such key");

    private final Sql db;
    private final Clock clock;

    public ApiKeys(Store store, Clock clock) {
        this.db = new Sql(store, "store error");
        this.clock = clock;
    }

    public Created create(String name, String owner, Role role, boolean serviceAccount, Long expiresMs) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("key name must be 1 to 100 characters");
        }
        Objects.requireNonNull(role, "role");
        if (owner == null || !OWNER.matcher(owner).matches()) {
            throw new IllegalArgumentException(
                    "key owner must be a user or service account name (a-z, 0-9, '.', '_', '-')");
        }
        long now = clock.millis();
        if (expiresMs != null && expiresMs <= now) throw new IllegalArgumentException("key expiry is in the past");
        return db.transaction(c -> {
            Optional<Role> ownerRole = Sql.query(
                            c, "SELECT role FROM users WHERE name = ?", rs -> Role.stored(rs.getString(1)), owner)
                    .stream()
                    .findFirst();
            if (serviceAccount && ownerRole.isPresent()) {
                throw new IllegalArgumentException("service account '" + owner + "' has the name of a user");
            }
            if (!serviceAccount && ownerRole.isEmpty()) throw Users.noSuchUser(owner);
            if (!serviceAccount && !ownerRole.get().includes(role)) {
                throw new IllegalArgumentException("a key for " + owner + " cannot have role " + role.label()
                        + ", above the owner's role " + ownerRole.get().label());
            }
            String id;
            do {
                id = Tokens.hex(4);
            } while (!Sql.query(c, "SELECT id FROM api_keys WHERE id = ?", rs -> 1, id)
                    .isEmpty());
            String secret = "odk_" + id + "_" + Tokens.random(32);
            Sql.update(
                    c,
                    "INSERT INTO api_keys (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id,
                    name,
                    owner,
                    role.label(),
                    serviceAccount,
                    now,
                    expiresMs,
                    null,
                    null,
                    null,
                    Tokens.sha256(secret));
            return new Created(
                    new ApiKey(id, name, owner, role, serviceAccount, now, expiresMs, null, null, null), secret);
        });
    }

    /**
     * The principal a secret acts as; empty for unknown, revoked or expired keys and for keys of missing or
     * disabled users. A user's key acts with the lesser of its own role and the user's current role.
     */
    public Optional<Principal> authenticate(String secret, String source) {
        if (secret == null || secret.length() > 100) return Optional.empty();
        Matcher m = SECRET.matcher(secret);
        if (!m.matches()) return Optional.empty(); // the format is public; only the random part is secret
        String id = m.group(1);
        long now = clock.millis();
        Optional<StoredKey> found = db.first(
                "SELECT " + COLUMNS + " FROM api_keys WHERE id = ?",
                rs -> new StoredKey(read(rs), rs.getString(11)),
                id);
        // always compare, so an unknown id costs what a wrong secret does
        boolean matches = Tokens.sameDigest(
                Tokens.sha256(secret), found.map(StoredKey::digest).orElse(DUMMY_DIGEST));
        if (!matches || found.isEmpty()) return Optional.empty();
        ApiKey key = found.get().key();
        if (key.revokedMs() != null || (key.expiresMs() != null && now >= key.expiresMs())) return Optional.empty();
        Role role = key.role();
        if (!key.serviceAccount()) {
            Optional<Role> ownerRole = db.first(
                    "SELECT role FROM users WHERE name = ? AND disabled = 0",
                    rs -> Role.stored(rs.getString(1)),
                    key.owner());
            if (ownerRole.isEmpty()) return Optional.empty();
            if (role.compareTo(ownerRole.get()) > 0) role = ownerRole.get();
        }
        if (key.lastUsedMs() == null || now - key.lastUsedMs() >= TOUCH_EVERY_MS) {
            String from = source == null ? null : source.substring(0, Math.min(source.length(), 100));
            db.update("UPDATE api_keys SET last_used_ms = ?, last_used_from = ? WHERE id = ?", now, from, key.id());
        }
        return Optional.of(new Principal(key.owner(), role, Principal.Kind.API_KEY, key.id(), false));
    }

    /** Every key, revoked and expired ones included, oldest first. */
    public List<ApiKey> list() {
        return db.query("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_ms, id", ApiKeys::read);
    }

    public List<ApiKey> listFor(String owner) {
        return db.query(
                "SELECT " + COLUMNS + " FROM api_keys WHERE owner = ? ORDER BY created_ms, id", ApiKeys::read, owner);
    }

    public Optional<ApiKey> find(String id) {
        return db.first("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?", ApiKeys::read, id);
    }

    /** True when the key was active and is now revoked. */
    public boolean revoke(String id) {
        return db.update("UPDATE api_keys SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL", clock.millis(), id)
                > 0;
    }

    /** Active keys not used (or, never used, not created) within {@code after}: candidates for revocation. */
    public List<ApiKey> unused(Duration after) {
        long now = clock.millis();
        return db.query(
                "SELECT " + COLUMNS + " FROM api_keys WHERE revoked_ms IS NULL "
                        + "AND (expires_ms IS NULL OR expires_ms > ?) AND COALESCE(last_used_ms, created_ms) < ? "
                        + "ORDER BY created_ms, id",
                ApiKeys::read,
                now,
                now - after.toMillis());
    }

    private record StoredKey(ApiKey key, String digest) {}

    private static ApiKey read(ResultSet rs) throws SQLException {
        return new ApiKey(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                Role.stored(rs.getString(4)),
                rs.getInt(5) != 0,
                rs.getLong(6),
                Sql.nullableLong(rs, "expires_ms"),
                Sql.nullableLong(rs, "last_used_ms"),
                rs.getString(9),
                Sql.nullableLong(rs, "revoked_ms"));
    }
}
