package dev.opsdeck.store;

import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** Fresh, uniquely named databases on the shared PostgreSQL at 127.0.0.1:5432; nothing else is touched. */
public final class TestDatabases {
    private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private TestDatabases() {}

    public static String create() throws SQLException {
        String name =
                "opsdeck_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
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

    /**
     * Where a store contract in another package runs: {@link #open()} gives a migrated store on the same
     * database each time (so a test can close and reopen it); {@link #close()} throws the database away.
     */
    public interface Backend extends AutoCloseable {
        Store open();

        /** A directory for files beside the store (data_dir). */
        Path dataDir();

        @Override
        void close();
    }

    /** Embedded SQLite in a fresh temporary directory. */
    public static Backend sqlite() {
        Path dir;
        try {
            dir = Files.createTempDirectory("opsdeck-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return backend(new StoreConfig("embedded", 4, Position.NONE), dir, () -> deleteTree(dir));
    }

    /** A fresh database on the shared PostgreSQL. */
    public static Backend postgres() {
        try {
            String name = create();
            Path dir = Files.createTempDirectory("opsdeck-test-");
            return backend(config(name), dir, () -> {
                try {
                    drop(name);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                deleteTree(dir);
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on 127.0.0.1:5432", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Backend backend(StoreConfig config, Path dir, Runnable cleanup) {
        return new Backend() {
            public Store open() {
                return Store.open(config, dir);
            }

            public Path dataDir() {
                return dir;
            }

            public void close() {
                cleanup.run();
            }
        };
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN, "postgres", null);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
