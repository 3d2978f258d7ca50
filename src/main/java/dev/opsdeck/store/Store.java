package dev.opsdeck.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.opsdeck.config.PostgresUrl;
import dev.opsdeck.config.StoreConfig;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The database behind Opsdeck: SQLite in WAL mode under {@code data_dir} by default
 * (crash-safe on kill -9), or PostgreSQL by URL. Migrations run on open.
 */
public final class Store implements AutoCloseable {
    private static final Executor CHECKS =
            r -> Thread.ofVirtual().name("store-check").start(r);
    /**
     * The fence of the work this thread runs under a lease ({@link #fenced}); checked at the start of every
     * transaction. Thread-bound because leased work (escalations, retention) writes through many classes that
     * need not know about leases: each of their transactions re-checks the lease, in the same transaction.
     */
    private static final ThreadLocal<Fence> FENCE = new ThreadLocal<>();

    /**
     * Checked inside each transaction of fenced work, before the work's own statements: throws when the lease the
     * work runs under is no longer held, so the transaction is rolled back and nothing of it is stored.
     */
    public interface Fence {
        void check(Connection c) throws SQLException;
    }

    private final HikariDataSource dataSource;
    private final boolean embedded;
    private final String description;

    private Store(HikariDataSource dataSource, boolean embedded, String description) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.description = description;
    }

    /** Opens and migrates the store; throws {@link StoreException} with a message fit for users. */
    public static Store open(StoreConfig config, Path dataDir) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("opsdeck-store");
        hc.setConnectionTimeout(5_000);
        hc.setInitializationFailTimeout(-1);
        String description;
        boolean embedded = config.embedded();
        if (embedded) {
            Path file = dataDir.resolve("opsdeck.db");
            try {
                if (!Files.isDirectory(dataDir)) {
                    // private from the start: it holds the store, the bootstrap password and backups
                    Files.createDirectories(dataDir.getParent() == null ? dataDir : dataDir.getParent());
                    Files.createDirectory(dataDir, privateDirectory());
                }
            } catch (IOException e) {
                throw new StoreException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
            }
            SqliteLibrary.prepare(dataDir);
            // synchronous=FULL: a write acknowledged to a caller is on disk even if the machine dies.
            // transaction_mode=IMMEDIATE: a transaction takes the write lock when it begins, so one that
            // reads then writes waits (busy_timeout) for another writer instead of failing with SQLITE_BUSY
            // when its read snapshot went stale. Plain reads run in autocommit and are not affected.
            hc.setJdbcUrl("jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000"
                    + "&foreign_keys=true&transaction_mode=IMMEDIATE");
            hc.setMaximumPoolSize(Math.min(config.poolSize(), 4));
            description = "embedded SQLite at " + file;
        } else {
            PostgresUrl url;
            try {
                url = PostgresUrl.parse(config.url());
            } catch (IllegalArgumentException e) {
                throw new StoreException("store.url is not a valid PostgreSQL URL: " + e.getMessage(), e);
            }
            hc.setJdbcUrl(url.jdbcUrl());
            if (url.user() != null) hc.setUsername(url.user());
            if (url.password() != null) hc.setPassword(url.password());
            hc.addDataSourceProperty("connectTimeout", "5");
            hc.addDataSourceProperty("socketTimeout", "30");
            hc.addDataSourceProperty("ApplicationName", "opsdeck");
            hc.setMaximumPoolSize(config.poolSize());
            description = "PostgreSQL at " + url.display();
        }
        HikariDataSource ds = new HikariDataSource(hc);
        try (Connection c = ds.getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            ds.close();
            throw new StoreException("store unreachable (" + description + "): " + rootMessage(e), e);
        }
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreException("store migration failed (" + description + "): " + rootMessage(e), e);
        }
        return new Store(ds, embedded, description);
    }

    /** Creates {@code dir} and its missing parents for this user only (where the file system has POSIX permissions). */
    public static void createPrivateDirectories(Path dir) throws IOException {
        Files.createDirectories(dir, privateDirectory());
    }

    private static FileAttribute<?>[] privateDirectory() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))
        };
    }

    /**
     * Runs {@code work} in one transaction: all of it is stored, or none. SQL errors become a
     * {@link StoreException} whose message starts with {@code what} (e.g. "outbox").
     */
    public <T> T inTransaction(String what, SqlWork<T> work) {
        return transaction(what, work, false);
    }

    /**
     * Like {@link #inTransaction}, but the commit does not wait for the disk: it survives a crash or kill of this
     * process (the data is with SQLite's WAL in the OS, or with the PostgreSQL server) but may be lost if the
     * machine itself dies before the next durable commit, which then stores it too. For frequent progress records
     * whose loss on power failure is harmless, such as the steps of a running runbook: a flush per record would
     * make them cost a disk round trip each.
     */
    public <T> T inLightTransaction(String what, SqlWork<T> work) {
        return transaction(what, work, true);
    }

    private <T> T transaction(String what, SqlWork<T> work, boolean light) {
        try (Connection c = dataSource().getConnection()) {
            // a per-connection setting on SQLite: set for this transaction only, the pool's other users keep FULL
            if (light && embedded) execute(c, "PRAGMA synchronous = NORMAL");
            c.setAutoCommit(false);
            try {
                if (light && !embedded) execute(c, "SET LOCAL synchronous_commit = off");
                Fence fence = FENCE.get();
                if (fence != null) fence.check(c);
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
                if (light && embedded) execute(c, "PRAGMA synchronous = FULL");
            }
        } catch (SQLException e) {
            throw new StoreException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} on this thread with every transaction it opens checked by {@code fence} first (on
     * PostgreSQL the check locks the lease row, so the lease cannot change hands before the transaction ends).
     */
    public static void fenced(Fence fence, Runnable work) {
        Fence before = FENCE.get();
        FENCE.set(fence);
        try {
            work.run();
        } finally {
            if (before == null) FENCE.remove();
            else FENCE.set(before);
        }
    }

    /**
     * The database's clock in epoch milliseconds as an SQL expression: leases and heartbeats compare times written
     * by different nodes, so they use one clock, not each node's own.
     */
    public String nowMillisSql() {
        return embedded
                ? "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
                : "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** A plain read in autocommit: on SQLite a transaction would take the write lock (IMMEDIATE mode). */
    public <T> T read(String what, SqlWork<T> work) {
        try (Connection c = dataSource().getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(what + ": " + e.getMessage(), e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean embedded() {
        return embedded;
    }

    public String description() {
        return description;
    }

    /**
     * Null when the store answers; otherwise why not (for /ready). Bounded to 2 s: while the database is
     * down the pool would wait its whole connection timeout, longer than readiness probes wait.
     */
    public String problem() {
        try {
            return CompletableFuture.supplyAsync(this::ping, CHECKS).get(2, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return "store did not answer within 2s";
        } catch (ExecutionException e) {
            return "store unreachable: " + rootMessage(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking the store";
        }
    }

    private String ping() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2) ? null : "store did not answer";
        } catch (SQLException e) {
            return "store unreachable: " + rootMessage(e);
        }
    }

    /**
     * Whether {@code e} says the store could not be reached (no connection from the pool, a connection lost,
     * the server shutting down) rather than that it refused this work: what is worth retrying unchanged.
     */
    public static boolean unavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException
                    || t instanceof SocketException
                    || t instanceof EOFException) {
                return true;
            }
            if (t instanceof SQLException s
                    && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        if (t instanceof UnknownHostException) {
            return "unknown host " + m; // the JDK's message is the bare host name
        }
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
