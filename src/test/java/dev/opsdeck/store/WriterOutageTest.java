package dev.opsdeck.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.probe.Status;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer keeps results while its PostgreSQL is stopped and lands every one of them when it returns. */
class WriterOutageTest {
    @TempDir
    Path dir;

    @Test
    void resultsSurviveAStoreOutage() throws Exception {
        assumeTrue(PrivatePostgres.available(), "PostgreSQL 15 binaries not installed");
        try (PrivatePostgres pg = PrivatePostgres.start();
                Store store = Store.open(new StoreConfig(pg.url(), 2, Position.NONE), dir);
                ResultWriter writer = new ResultWriter(store, 100_000)) {
            AtomicLong submitted = new AtomicLong();
            AtomicBoolean producing = new AtomicBoolean(true);
            long start = System.currentTimeMillis();
            Thread producer = Thread.ofPlatform().start(() -> {
                while (producing.get()) {
                    long n = submitted.getAndIncrement();
                    writer.submit(StoreContract.write(
                            "api/health", start + n * 1000, n % 7 == 0 ? Status.DOWN : Status.UP, n % 50));
                    sleep(5);
                }
            });
            await(() -> writer.committed() > 50, "first commits");
            pg.stopServer();
            await(() -> writer.lastError() != null, "the writer to notice the outage");
            long committedWhileDown = writer.committed();
            await(() -> writer.backlog() > 100, "a backlog to build up");
            assertThat(writer.lastError()).isNotBlank();
            assertThat(writer.committed()).isEqualTo(committedWhileDown);

            pg.startServer();
            await(() -> writer.lastError() == null && writer.committed() > committedWhileDown, "recovery");
            producing.set(false);
            producer.join();
            assertThat(writer.flush(30_000)).isTrue();

            assertThat(writer.dropped()).isZero();
            assertThat(writer.backlog()).isZero();
            assertThat(writer.committed()).isEqualTo(submitted.get());
            try (Connection c = store.dataSource().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM check_result), "
                            + "(SELECT SUM(up + degraded + down) FROM check_rollup WHERE resolution = 'm'), "
                            + "(SELECT COUNT(DISTINCT at_ms) FROM check_result)")) {
                rs.next();
                assertThat(rs.getLong(1)).as("raw rows").isEqualTo(submitted.get());
                assertThat(rs.getLong(2)).as("minute rollups").isEqualTo(submitted.get());
                assertThat(rs.getLong(3)).as("no duplicates").isEqualTo(submitted.get());
            }
            assertThat(store.problem()).isNull();
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
