package dev.opsdeck.auth;

import dev.opsdeck.ManualClock;
import dev.opsdeck.config.AuthConfig;
import dev.opsdeck.store.OnEachBackend;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the auth contracts: each runs on a real store, once per backend (a SQLite and a PostgreSQL
 * subclass), with empty tables and a hand-moved clock for every test.
 */
abstract class AuthContract extends OnEachBackend {
    static final Instant START = Instant.parse("2025-06-01T08:00:00Z");
    static final String GOOD = "correct horse battery";

    ManualClock clock;
    AuthConfig config = AuthConfig.DEFAULTS;
    Users users;
    Sessions sessions;
    ApiKeys keys;

    @Override
    protected List<String> reset() {
        return List.of(
                "DELETE FROM sessions", "DELETE FROM api_keys", "DELETE FROM login_failures", "DELETE FROM users");
    }

    @BeforeEach
    void startClean() {
        clock = new ManualClock(START);
        config = AuthConfig.DEFAULTS; // PER_CLASS: a test's own config must not leak into the next
        wire();
    }

    /** Closes the store and opens it again, as a restart would; new service objects, same clock. */
    void restart() {
        store.close();
        store = backend.open();
        wire();
    }

    void wire() {
        users = new Users(store, config, clock);
        sessions = new Sessions(store, config, clock);
        keys = new ApiKeys(store, clock);
    }

    /** Every cell of a table as text, to check what is (not) stored. */
    List<String> cells(String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) out.add(String.valueOf(rs.getString(i)));
            }
        }
        return out;
    }

    long count(String table) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
