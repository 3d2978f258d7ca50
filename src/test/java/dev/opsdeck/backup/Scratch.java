package dev.opsdeck.backup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Scratch databases on the shared PostgreSQL (127.0.0.1:5432, trust): a pgbench-initialised source, restore targets. */
public final class Scratch {
    private Scratch() {}

    public static String name() {
        return "opsdeck_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** A new database filled by {@code pgbench -i -s scale}. */
    public static String pgbench(int scale) throws Exception {
        String db = name();
        admin("CREATE DATABASE " + db);
        Process p = new ProcessBuilder(List.of(
                        "pgbench",
                        "-i",
                        "-s",
                        Integer.toString(scale),
                        "-q",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        "5432",
                        "-U",
                        "postgres",
                        db))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("pgbench: " + out);
        return db;
    }

    public static String url(String db) {
        return "postgresql://postgres@127.0.0.1:5432/" + db;
    }

    public static long count(String db, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "postgres", null);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static boolean exists(String db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db.replace("'", "") + "'")) {
            return rs.next();
        }
    }

    public static void drop(String... dbs) throws SQLException {
        for (String db : dbs) {
            if (db == null) continue;
            if (!db.startsWith("opsdeck_test_")) throw new IllegalArgumentException(db);
            admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    public static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
