package dev.opsdeck.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's behaviour, run against every backend (see the subclasses). */
abstract class StoreContract {
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    Store store;
    ResultWriter writer;
    HistoryRepository history;

    abstract StoreConfig config();

    abstract Path dataDir();

    @BeforeEach
    void open() throws SQLException {
        store = Store.open(config(), dataDir());
        sql("DELETE FROM check_result", "DELETE FROM check_rollup", "DELETE FROM check_state");
        writer = new ResultWriter(store, 100_000);
        history = new HistoryRepository(store);
    }

    @AfterEach
    void close() {
        writer.close();
        store.close();
    }

    static ResultWriter.Write write(String id, long atMs, Status status, long latencyMs) {
        String message = status == Status.DOWN ? "connection refused" : "1/1 conditions hold";
        return new ResultWriter.Write(
                id,
                new CheckResult(status, Instant.ofEpochMilli(atMs), latencyMs, message, Map.of()),
                new StoredState(
                        id,
                        status,
                        atMs,
                        status == Status.DOWN ? 1 : 0,
                        status == Status.DOWN ? 0 : 1,
                        false,
                        atMs,
                        (int) latencyMs,
                        message,
                        "hash-" + id));
    }

    void flush() throws InterruptedException {
        assertThat(writer.flush(30_000))
                .as("flushed; last error: %s", writer.lastError())
                .isTrue();
    }

    @Test
    void migrationsRunOnceAndReopeningIsIdempotent() throws SQLException {
        store.close();
        store = Store.open(config(), dataDir());
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
            List<String> applied = new ArrayList<>();
            while (rs.next()) {
                assertThat(rs.getBoolean(2))
                        .as("migration %s succeeded", rs.getString(1))
                        .isTrue();
                applied.add(rs.getString(1));
            }
            // every migration file applied exactly once, in order
            List<String> files;
            try (var list = Files.list(Path.of("src/main/resources/db/migration"))) {
                files = list.map(p -> p.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))
                        .sorted(Comparator.comparingInt(Integer::parseInt))
                        .toList();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            assertThat(applied).isEqualTo(files);
        }
        assertThat(count("check_result") + count("check_rollup") + count("check_state"))
                .isZero();
        assertThat(store.problem()).isNull();
    }

    @Test
    void rawResultsRoundTripInOrder() throws Exception {
        long t = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
        writer.submit(write("api/health", t, Status.UP, 12));
        writer.submit(write("api/health", t + 1000, Status.DOWN, 5000));
        writer.submit(write("api/health", t + 2000, Status.DEGRADED, 700));
        writer.submit(write("web/health", t + 500, Status.UP, 3));
        flush();
        assertThat(writer.lastError()).isNull();
        assertThat(writer.committed()).isEqualTo(4);
        assertThat(history.raw("api/health", t, 10))
                .containsExactly(
                        new HistoryRepository.RawResult(t, Status.UP, 12, "1/1 conditions hold"),
                        new HistoryRepository.RawResult(t + 1000, Status.DOWN, 5000, "connection refused"),
                        new HistoryRepository.RawResult(t + 2000, Status.DEGRADED, 700, "1/1 conditions hold"));
        assertThat(history.raw("api/health", t + 1000, 1))
                .extracting(HistoryRepository.RawResult::atMs)
                .containsExactly(t + 2000);
    }

    @Test
    void longMessagesAreTruncatedNotRejected() throws Exception {
        long t = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
        writer.submit(new ResultWriter.Write(
                "a/b", new CheckResult(Status.DOWN, Instant.ofEpochMilli(t), 1, "x".repeat(5000), Map.of()), null));
        flush();
        assertThat(history.raw("a/b", 0, 1).getFirst().message()).hasSize(300).endsWith("…");
    }

    @Test
    void rollupsPerMinuteHourAndDayAddUp() throws Exception {
        // 3 hours every 20 s across midnight: 540 results, 180 minutes, 4 hours, 2 days, written in many batches
        long start = Instant.parse("2025-03-01T22:50:00Z").toEpochMilli();
        Map<Long, long[]> minutes = new TreeMap<>();
        for (int i = 0; i < 540; i++) {
            long at = start + i * 20_000L;
            Status s = i % 10 == 0 ? Status.DOWN : i % 10 == 1 ? Status.DEGRADED : Status.UP;
            long latency = i % 100 + 1;
            writer.submit(write("api/health", at, s, latency));
            long[] m = minutes.computeIfAbsent(at - at % 60_000, k -> new long[5]);
            m[s.ordinal()]++;
            m[3] += latency;
            m[4] = Math.max(m[4], latency);
            if (i % 97 == 0) flush();
        }
        flush();
        List<HistoryRepository.Bucket> perMinute = history.buckets("api/health", 'm', 0);
        assertThat(perMinute).hasSize(180);
        for (HistoryRepository.Bucket b : perMinute) {
            long[] m = minutes.get(b.startMs());
            assertThat(new long[] {b.up(), b.degraded(), b.down(), b.latencySum(), b.latencyMax()})
                    .as("minute %s", Instant.ofEpochMilli(b.startMs()))
                    .containsExactly(m[0], m[1], m[2], m[3], m[4]);
            assertThat(sum(b.histogram())).isEqualTo(b.total());
        }
        List<HistoryRepository.Bucket> perHour = history.buckets("api/health", 'h', 0);
        assertThat(perHour)
                .extracting(b -> Instant.ofEpochMilli(b.startMs()).toString())
                .containsExactly(
                        "2025-03-01T22:00:00Z", "2025-03-01T23:00:00Z", "2025-03-02T00:00:00Z", "2025-03-02T01:00:00Z");
        assertThat(perHour).extracting(HistoryRepository.Bucket::total).containsExactly(30L, 180L, 180L, 150L);
        List<HistoryRepository.Bucket> perDay = history.buckets("api/health", 'd', 0);
        assertThat(perDay).extracting(HistoryRepository.Bucket::total).containsExactly(210L, 330L);
        for (List<HistoryRepository.Bucket> level : List.of(perMinute, perHour, perDay)) {
            assertThat(level.stream().mapToLong(HistoryRepository.Bucket::up).sum())
                    .isEqualTo(432);
            assertThat(level.stream()
                            .mapToLong(HistoryRepository.Bucket::degraded)
                            .sum())
                    .isEqualTo(54);
            assertThat(level.stream().mapToLong(HistoryRepository.Bucket::down).sum())
                    .isEqualTo(54);
            assertThat(level.stream()
                            .mapToLong(HistoryRepository.Bucket::latencySum)
                            .sum())
                    .isEqualTo(minutes.values().stream().mapToLong(m -> m[3]).sum());
            assertThat(level.stream()
                            .mapToLong(HistoryRepository.Bucket::latencyMax)
                            .max())
                    .hasValue(100);
        }
        assertThat(history.buckets("api/health", 'h', start + HOUR)).hasSize(2);
    }

    @Test
    void uptimeAndLatencyPercentiles() throws Exception {
        long start = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
        for (int i = 1; i <= 100; i++) {
            Status s = i <= 5 ? Status.DOWN : i <= 10 ? Status.DEGRADED : Status.UP;
            writer.submit(write("api/health", start + i * 30_000L, s, i));
            writer.submit(write("web/health", start + i * 30_000L, Status.UP, 7));
        }
        flush();
        Map<String, HistoryRepository.Bucket> byHour =
                history.summaries(List.of("api/health", "web/health", "nope/x"), 'h', start - DAY);
        assertThat(byHour).containsOnlyKeys("api/health", "web/health");
        for (char resolution : new char[] {'m', 'h', 'd'}) {
            HistoryRepository.Bucket api =
                    history.summaries(List.of("api/health"), resolution, 0).get("api/health");
            assertThat(api.total()).isEqualTo(100);
            assertThat(api.uptimePercent()).isEqualTo(95.0);
            assertThat(api.latencyMean()).isEqualTo(50);
            assertThat(api.latencyMax()).isEqualTo(100);
            assertThat(api.latencyPercentile(0.50)).isEqualTo(50);
            assertThat(api.latencyPercentile(0.95)).isEqualTo(100);
            assertThat(api.latencyPercentile(0.99)).isEqualTo(100);
            assertThat(api.latencyPercentile(0.05)).isEqualTo(5);
        }
        HistoryRepository.Bucket web = byHour.get("web/health");
        assertThat(web.uptimePercent()).isEqualTo(100.0);
        assertThat(web.latencyPercentile(0.99))
                .as("capped at the max seen, not the bucket bound")
                .isEqualTo(7);
        assertThat(history.summaries(List.of(), 'h', 0)).isEmpty();
    }

    @Test
    void statesAreUpserted() throws Exception {
        long t = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
        writer.submit(write("api/health", t, Status.UP, 10));
        flush();
        writer.submit(write("api/health", t + 1000, Status.DOWN, 20));
        writer.submit(write("web/health", t + 1000, Status.UP, 5));
        flush();
        writer.submit(new ResultWriter.Write(
                "api/health", new CheckResult(Status.UP, Instant.ofEpochMilli(t + 2000), 1, "ok", Map.of()), null));
        flush();
        assertThat(history.states())
                .hasSize(2)
                .contains(
                        new StoredState(
                                "api/health",
                                Status.DOWN,
                                t + 1000,
                                1,
                                0,
                                false,
                                t + 1000,
                                20,
                                "connection refused",
                                "hash-api/health"),
                        new StoredState(
                                "web/health",
                                Status.UP,
                                t + 1000,
                                0,
                                1,
                                false,
                                t + 1000,
                                5,
                                "1/1 conditions hold",
                                "hash-web/health"));
    }

    @Test
    void pruneDropsRowsPastTheirRetention() throws Exception {
        long now = Instant.parse("2025-06-15T12:00:00Z").toEpochMilli();
        long[] ages = {Duration.ofMinutes(5).toMillis(), 47 * HOUR, 49 * HOUR, 31 * DAY, 401 * DAY};
        for (long age : ages) writer.submit(write("api/health", now - age, Status.UP, 10));
        flush();
        assertThat(count("check_result")).isEqualTo(5);
        var retention = new HistoryRepository.Retention(48 * HOUR, 24 * HOUR, 30 * DAY, 400 * DAY);
        int pruned = history.prune(now, retention);
        assertThat(history.raw("api/health", 0, 10))
                .extracting(r -> (now - r.atMs()) / HOUR)
                .containsExactly(47L, 0L);
        assertThat(history.buckets("api/health", 'm', 0)).hasSize(1);
        assertThat(history.buckets("api/health", 'h', 0)).hasSize(3);
        assertThat(history.buckets("api/health", 'd', 0))
                .as("47 h and 49 h ago share a day")
                .hasSize(3);
        // the state row was last written by the 401-day-old result: a check nobody runs any more
        assertThat(pruned).isEqualTo(3 + 4 + 2 + 1 + 1);
        assertThat(count("check_state")).isZero();
        assertThat(history.prune(now, retention)).isZero();
    }

    long count(String table) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement()) {
            for (String q : statements) s.execute(q);
        }
    }

    static long sum(long[] values) {
        long total = 0;
        for (long v : values) total += v;
        return total;
    }
}
