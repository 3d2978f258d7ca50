package dev.opsdeck.cluster;

import dev.opsdeck.store.Sql;
import dev.opsdeck.store.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The {@code cluster_lease} table: a named lease has one holder until it expires, by the database's clock. Taking
 * or renewing is one conditional statement, so two nodes never both hold a lease; the token grows whenever the
 * lease changes hands or lapses, and {@link #fence} checks (holder, token, not expired) inside a transaction.
 */
public final class Leases {
    /** A lease as stored: who holds it, its fencing token, and when it ends (database clock, epoch ms). */
    public record Lease(String name, String holder, long token, long acquiredMs, long expiresMs) {}

    private final Store store;
    private final Sql sql;
    private final String now;

    public Leases(Store store) {
        this.store = store;
        this.sql = new Sql(store, "cluster lease");
        this.now = store.nowMillisSql();
    }

    /**
     * Takes the lease {@code name} for {@code holder} for {@code ttlMs}, or renews it when the holder has it and it
     * has not expired; returns the token it is held under, or empty when another node holds it.
     */
    public Optional<Long> acquire(String name, String holder, long ttlMs) {
        return sql.transaction(c -> {
            // a first holder: the row appears once; two nodes racing here meet on the primary key, and the loser's
            // insert takes no row
            Sql.update(
                    c,
                    "INSERT INTO cluster_lease (name, holder, token, acquired_ms, expires_ms) SELECT ?, ?, 0, 0, 0"
                            + " WHERE NOT EXISTS (SELECT 1 FROM cluster_lease WHERE name = ?)"
                            + (store.embedded() ? "" : " ON CONFLICT (name) DO NOTHING"),
                    name,
                    "",
                    name);
            // renewal keeps the token; a takeover (another holder, or this one after its lease lapsed) raises it
            int n = Sql.update(
                    c,
                    "UPDATE cluster_lease SET"
                            + " token = CASE WHEN holder = ? AND expires_ms > " + now
                            + " THEN token ELSE token + 1 END,"
                            + " acquired_ms = CASE WHEN holder = ? AND expires_ms > " + now + " THEN acquired_ms"
                            + " ELSE " + now + " END,"
                            + " holder = ?, expires_ms = " + now + " + ?"
                            + " WHERE name = ? AND (holder = ? OR expires_ms <= " + now + ")",
                    holder,
                    holder,
                    holder,
                    ttlMs,
                    name,
                    holder);
            if (n == 0) return Optional.empty();
            return Sql.first(c, "SELECT token FROM cluster_lease WHERE name = ?", rs -> rs.getLong(1), name);
        });
    }

    /** Gives the lease up at once (a graceful stop), so another node need not wait for it to expire. */
    public void release(String name, String holder) {
        sql.update("UPDATE cluster_lease SET expires_ms = 0 WHERE name = ? AND holder = ?", name, holder);
    }

    /** The lease as stored now; empty before anyone took it. */
    public Optional<Lease> find(String name) {
        return sql.first(
                "SELECT name, holder, token, acquired_ms, expires_ms FROM cluster_lease WHERE name = ?",
                rs -> new Lease(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)),
                name);
    }

    /** The holder of {@code name} whose lease has not expired, by the database's clock; empty when none. */
    public Optional<String> holder(String name) {
        return sql.first(
                "SELECT holder FROM cluster_lease WHERE name = ? AND expires_ms > " + now, rs -> rs.getString(1), name);
    }

    /**
     * A fence for {@link Store#fenced}: the transaction goes on only while {@code holder} holds {@code name} under
     * {@code token} and it has not expired. On PostgreSQL the row is locked for the rest of the transaction
     * ({@code FOR SHARE}), so a takeover waits until this transaction has committed or rolled back.
     */
    public Store.Fence fence(String name, String holder, long token) {
        String lock = store.embedded() ? "" : " FOR SHARE";
        return (Connection c) -> {
            boolean held = Sql.first(
                            c,
                            "SELECT 1 FROM cluster_lease WHERE name = ? AND holder = ? AND token = ? AND expires_ms > "
                                    + now + lock,
                            rs -> true,
                            name,
                            holder,
                            token)
                    .isPresent();
            if (!held) throw new LeaseLost(name, holder, token);
        };
    }

    /** The lease a fenced transaction ran under has expired or changed hands: nothing of it is stored. */
    public static final class LeaseLost extends SQLException {
        LeaseLost(String name, String holder, long token) {
            super("lease '" + name + "' is no longer held by " + holder + " under token " + token
                    + " (it expired or another node took it); the work was not done");
        }
    }
}
