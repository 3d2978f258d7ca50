package dev.opsdeck.store;

import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Fresh, uniquely named databases on the shared PostgreSQL at 127.0.0.1:5432; nothing else is touched. */
public final class TestDatabases {
    private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private TestDatabases() {}

    public static String create() throws SQLException {
        String name = "opsdeck_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + name);
        return name;
    }

    public static void drop(String name) throws SQLException {
        if (name == null || !name.startsWith("opsdeck_test_")) throw new IllegalArgumentException(name);
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public static StoreConfig config(String database) {
        return new StoreConfig("postgresql://postgres@127.0.0.1:5432/" + database, 4, Position.NONE);
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN, "postgres", null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
