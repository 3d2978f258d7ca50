package dev.opsdeck.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.ManualClock;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Status;
import dev.opsdeck.store.HistoryRepository;
import dev.opsdeck.store.ResultWriter;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.StoredState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-memory 24-hour uptime on a real embedded store: the first read loads the base from the hourly rollups,
 * later results count at once, a reload neither loses nor repeats a result, and the window slides with reloads.
 */
class UptimeBoardTest {
    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-12-01T10:30:00Z");
    private final ManualClock clock = new ManualClock(T0);
    private Store store;
    private ResultWriter writer;
    private UptimeBoard board;

    @BeforeEach
    void open() {
        store = Store.open(new StoreConfig("embedded", 4, Position.NONE), dir.resolve("data"));
        writer = new ResultWriter(store, 10_000);
        board = new UptimeBoard(new HistoryRepository(store), writer, clock);
    }

    @AfterEach
    void close() {
        writer.close();
        store.close();
    }

    /** What the engine does with a result: hand it to the writer, then to its listeners. */
    private void record(String id, Instant at, Status status) {
        CheckResult r = new CheckResult(status, at, 5, status.label(), Map.of());
        writer.submit(new ResultWriter.Write(
                id, r, new StoredState(id, status, at.toEpochMilli(), 0, 0, false, at.toEpochMilli(), 5, "", "h")));
        board.onResult(id, r, status, null);
    }

    @Test
    void countsStoredAndNewResultsOnceAcrossReloadsAndSlidesTheWindow() throws Exception {
        // history from before this board existed: in the window (2 h ago) and out of it (30 h ago)
        CheckResult old = new CheckResult(Status.UP, T0.minus(Duration.ofHours(2)), 5, "", Map.of());
        for (int i = 0; i < 3; i++)
            writer.submit(new ResultWriter.Write(
                    "api/health", old, new StoredState("api/health", Status.UP, 0, 0, 0, false, 0, 5, "", "h")));
        CheckResult failed = new CheckResult(Status.DOWN, T0.minus(Duration.ofHours(2)), 5, "", Map.of());
        writer.submit(new ResultWriter.Write(
                "api/health", failed, new StoredState("api/health", Status.DOWN, 0, 0, 0, false, 0, 5, "", "h")));
        CheckResult ancient = new CheckResult(Status.DOWN, T0.minus(Duration.ofHours(30)), 5, "", Map.of());
        for (int i = 0; i < 5; i++)
            writer.submit(new ResultWriter.Write(
                    "api/health", ancient, new StoredState("api/health", Status.DOWN, 0, 0, 0, false, 0, 5, "", "h")));
        assertThat(writer.flush(30_000)).isTrue();

        assertThat(board.counts("api/health")).isEqualTo(new UptimeBoard.Counts(3, 0, 1));
        assertThat(board.counts("api/health").uptimePercent()).isEqualTo(75.0);
        assertThat(board.counts("web/health")).isNull();
        long firstLoad = board.loadedMs();

        // new results count at once, before any reload
        record("api/health", T0, Status.UP);
        record("api/health", T0, Status.DEGRADED);
        record("web/health", T0, Status.DOWN);
        assertThat(board.counts("api/health")).isEqualTo(new UptimeBoard.Counts(4, 1, 1));
        assertThat(board.counts("web/health")).isEqualTo(new UptimeBoard.Counts(0, 0, 1));
        assertThat(board.loadedMs()).isEqualTo(firstLoad);

        // a minute on, a read starts a reload in the background: the same figures after it, none counted twice
        clock.advance(Duration.ofSeconds(61));
        board.counts("api/health");
        awaitLoad(clock.millis());
        assertThat(board.counts("api/health")).isEqualTo(new UptimeBoard.Counts(4, 1, 1));
        assertThat(board.counts("web/health")).isEqualTo(new UptimeBoard.Counts(0, 0, 1));
        record("api/health", T0.plusSeconds(61), Status.DOWN);
        assertThat(board.counts("api/health")).isEqualTo(new UptimeBoard.Counts(4, 1, 2));

        // 23 h later the results of 2 h before T0 have left the window; those of T0's hour are still in it
        clock.advance(Duration.ofHours(23));
        board.counts("api/health");
        awaitLoad(clock.millis());
        assertThat(board.counts("api/health")).isEqualTo(new UptimeBoard.Counts(1, 1, 1));
    }

    private void awaitLoad(long atMs) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (board.loadedMs() != atMs) {
            assertThat(System.nanoTime()).as("a reload within 15 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
