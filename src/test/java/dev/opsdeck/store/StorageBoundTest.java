package dev.opsdeck.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.MonitoringConfig;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.probe.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk use of the embedded store: 30 days of results every 30 s for a few monitors, written by the real
 * writer, pruned with the default retention and vacuumed. The bound is 5 MB per monitor.
 */
class StorageBoundTest {
    static final int MONITORS = 4;
    static final Duration SPAN = Duration.ofDays(30);
    static final Duration INTERVAL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void thirtyDaysAtThirtySecondsFitInFiveMegabytesPerMonitor() throws Exception {
        MonitoringConfig m = MonitoringConfig.DEFAULTS;
        long end = Instant.parse("2025-06-30T00:00:00Z").toEpochMilli();
        long start = end - SPAN.toMillis();
        Random random = new Random(42);
        long written = 0;
        try (Store store = Store.open(new StoreConfig("embedded", 4, Position.NONE), dir)) {
            try (ResultWriter writer = new ResultWriter(store, 1_000_000)) {
                for (long at = start; at < end; at += INTERVAL.toMillis()) {
                    for (int i = 0; i < MONITORS; i++) {
                        boolean down = random.nextInt(200) == 0;
                        writer.submit(StoreContract.write(
                                "service-" + i + "/health",
                                at + random.nextInt(3_000),
                                down ? Status.DOWN : Status.UP,
                                down ? 10_000 : 5 + random.nextInt(300)));
                        written++;
                    }
                    if (written % 50_000 == 0) assertThat(writer.flush(120_000)).isTrue();
                }
                assertThat(writer.flush(120_000)).isTrue();
                assertThat(writer.committed()).isEqualTo(written);
            }
            int pruned = new HistoryRepository(store)
                    .prune(
                            end,
                            new HistoryRepository.Retention(
                                    m.rawRetention().toMillis(),
                                    m.minuteRetention().toMillis(),
                                    m.hourRetention().toMillis(),
                                    m.dayRetention().toMillis()));
            assertThat(pruned).isPositive();
            try (Connection c = store.dataSource().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("VACUUM");
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
        long bytes;
        try (Stream<Path> files = Files.list(dir)) {
            bytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        long perMonitor = bytes / MONITORS;
        System.out.printf(
                "storage: %d results for %d monitors over %s at %s -> %d bytes on disk, %d bytes per monitor%n",
                written, MONITORS, SPAN, INTERVAL, bytes, perMonitor);
        assertThat(perMonitor).isLessThanOrEqualTo(5_000_000L);
    }
}
