package dev.opsdeck.backup;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A temporary database {@code opsdeck_drill_<run id>_<random>} on a configured server, created by the restore and
 * dropped after the drill. The random part keeps two Opsdeck installations sharing a scratch server apart; a database
 * of that name that already existed is never touched: the restore refuses it.
 */
final class ScratchServer implements ScratchDatabase {
    static final String PREFIX = "server:";
    private final PgTarget target;
    private volatile boolean claimed;

    ScratchServer(String serverUrl, long runId) {
        this.target = PgTarget.parse(serverUrl).withDatabase(name(runId));
    }

    static String name(long runId) {
        return "opsdeck_drill_" + runId + "_"
                + HexFormat.of().toHexDigits(new SecureRandom().nextInt()).substring(0, 6);
    }

    @Override
    public PgTarget target() {
        return target;
    }

    @Override
    public String describe() {
        return PREFIX + target.where();
    }

    @Override
    public void claim() {
        claimed = true;
    }

    @Override
    public void close() {
        if (claimed) drop(target);
    }

    static String remove(String serverUrl, String database) {
        if (!database.matches("opsdeck_drill_[0-9]+_[0-9a-f]{6}"))
            return "scratch database " + database + " left: not a drill's name";
        PgTarget t = PgTarget.parse(serverUrl).withDatabase(database);
        drop(t);
        return "scratch database " + t.where() + " dropped";
    }

    /** Drops the database (its name is opsdeck_drill_<digits>_<hex>: nothing to quote) and checks that it is gone. */
    private static void drop(PgTarget t) {
        PgTarget admin = t.withDatabase("postgres");
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.jdbcProperties());
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + t.database() + "\" WITH (FORCE)");
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, t.database());
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) throw new SQLException("it still exists after DROP DATABASE");
                }
            }
        } catch (SQLException e) {
            throw new BackupFailure(
                    "the scratch database " + t.where() + " was not removed: " + e.getMessage(),
                    "drop it by hand: DROP DATABASE " + t.database() + " WITH (FORCE)",
                    e);
        }
    }
}
