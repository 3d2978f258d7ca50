package dev.opsdeck.store;

import dev.opsdeck.probe.CheckResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes probe results in batches: one transaction inserts raw rows, adds to the minute/hour/day
 * rollups and upserts check state. Probing never waits for the store; if the store is down the
 * backlog is kept (bounded) and retried, so checks go on and nothing acknowledged is lost.
 */
public final class ResultWriter implements AutoCloseable {
    /** One result and the state it led to. */
    public record Write(String checkId, CheckResult result, StoredState state) {}

    private static final Logger LOG = LoggerFactory.getLogger(ResultWriter.class);
    private static final int MAX_BATCH = 2_000;
    /**
     * How long the writer collects results after the first one before it commits: one transaction (and
     * fsync) per 200 ms instead of one per result at low rates. flush() and close() end the wait at once.
     */
    private static final long LINGER_MS = 200;

    private static final long[] RESOLUTIONS_MS = {60_000L, 3_600_000L, 86_400_000L};
    private static final String[] RESOLUTION_CODES = {"m", "h", "d"};

    private final Store store;
    private final int maxBacklog;
    private final ArrayDeque<Write> queue = new ArrayDeque<>();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile String lastError;
    private volatile boolean closing;
    private volatile boolean flushRequested;
    private long submitted;

    public ResultWriter(Store store, int maxBacklog) {
        this.store = store;
        this.maxBacklog = maxBacklog;
        this.thread = Thread.ofPlatform().name("opsdeck-result-writer").daemon().start(this::loop);
    }

    public void submit(Write w) {
        synchronized (queue) {
            if (queue.size() >= maxBacklog) {
                queue.pollFirst(); // the store has been down a long time: keep the newest results
                dropped.incrementAndGet();
            }
            queue.addLast(w);
            submitted++;
            // wake the writer only when it waits for a first result or a batch is full; while it
            // lingers it wakes up by itself (a notify per result cost more than the write)
            if (queue.size() == 1 || queue.size() >= MAX_BATCH) queue.notifyAll();
        }
    }

    /** Blocks until everything submitted before this call is committed (or timeout). */
    public boolean flush(long timeoutMillis) throws InterruptedException {
        long target;
        synchronized (queue) {
            target = submitted - dropped.get();
            flushRequested = true;
            queue.notifyAll();
        }
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (committed.get() < target) {
            if (System.currentTimeMillis() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    public long committed() {
        return committed.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public int backlog() {
        synchronized (queue) {
            return queue.size();
        }
    }
    /** Null while writes succeed; the last failure otherwise. */
    public String lastError() {
        return lastError;
    }

    private void loop() {
        try {
            writeUntilClosed();
        } catch (Throwable fatal) {
            // e.g. OutOfMemoryError: history has stopped, so say it where operators look (/ready, the log).
            // Not retried: after an OutOfMemoryError nothing says the rest of the JVM is sound. The launcher
            // runs the server with -XX:+ExitOnOutOfMemoryError, so there the process ends and its supervisor
            // restarts it; a JVM started otherwise (tests, embedding) keeps serving with /ready failing.
            lastError = "the result writer stopped: " + fatal;
            LOG.error("event=result_writer_stopped error=\"{}\"", fatal.toString());
            throw fatal;
        }
    }

    private void writeUntilClosed() {
        while (true) {
            List<Write> batch = new ArrayList<>();
            synchronized (queue) {
                while (queue.isEmpty() && !closing) {
                    try {
                        queue.wait(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty() && closing) return;
                long lingerEnd = System.nanoTime() + LINGER_MS * 1_000_000;
                while (queue.size() < MAX_BATCH && !closing && !flushRequested) {
                    long left = (lingerEnd - System.nanoTime()) / 1_000_000;
                    if (left <= 0) break;
                    try {
                        queue.wait(left);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.size() <= MAX_BATCH) flushRequested = false; // this batch holds all it waits for
                for (int i = 0; i < MAX_BATCH && !queue.isEmpty(); i++) batch.add(queue.pollFirst());
            }
            try {
                write(batch);
                committed.addAndGet(batch.size());
                if (lastError != null) LOG.info("event=store_recovered backlog={}", backlog());
                lastError = null;
            } catch (Throwable e) {
                // a driver can throw Errors (e.g. its assertions on a dropped connection); a dead writer
                // thread would silently stop all history, so only a failing JVM may end it
                if (e instanceof VirtualMachineError fatal) throw fatal;
                if (lastError == null) LOG.warn("event=store_write_failed error=\"{}\"", Store.rootMessage(e));
                lastError = Store.rootMessage(e);
                synchronized (queue) {
                    for (int i = batch.size() - 1; i >= 0; i--) queue.addFirst(batch.get(i));
                }
                if (closing) { // close() already waited for the store; retrying forever would leak this thread
                    LOG.error("event=results_lost_on_close count={} error=\"{}\"", backlog(), lastError);
                    return;
                }
                sleepQuietly(1_000);
            }
        }
    }

    private void write(List<Write> batch) throws SQLException {
        try (Connection c = store.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                insertRaw(c, batch);
                addRollups(c, batch);
                upsertStates(c, batch);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void insertRaw(Connection c, List<Write> batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO check_result (check_id, at_ms, status, latency_ms, message) VALUES (?, ?, ?, ?, ?)")) {
            for (Write w : batch) {
                ps.setString(1, w.checkId());
                ps.setLong(2, w.result().at().toEpochMilli());
                ps.setShort(3, (short) w.result().status().ordinal());
                ps.setInt(4, (int) Math.min(Integer.MAX_VALUE, w.result().latencyMillis()));
                ps.setString(5, truncate(w.result().message()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static final String ROLLUP_SQL = rollupSql();

    private static String rollupSql() {
        StringBuilder cols = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        StringBuilder updates = new StringBuilder();
        for (int i = 0; i < LatencyHistogram.SIZE; i++) {
            cols.append(", l").append(i);
            marks.append(", ?");
            updates.append(", l")
                    .append(i)
                    .append(" = check_rollup.l")
                    .append(i)
                    .append(" + excluded.l")
                    .append(i);
        }
        return "INSERT INTO check_rollup (check_id, resolution, bucket_ms, up, degraded, down, latency_sum, latency_max"
                + cols + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?" + marks
                + ") ON CONFLICT (check_id, resolution, bucket_ms) DO UPDATE SET "
                + "up = check_rollup.up + excluded.up, degraded = check_rollup.degraded + excluded.degraded, "
                + "down = check_rollup.down + excluded.down, latency_sum = check_rollup.latency_sum + excluded.latency_sum, "
                + "latency_max = CASE WHEN excluded.latency_max > check_rollup.latency_max THEN excluded.latency_max "
                + "ELSE check_rollup.latency_max END" + updates;
    }

    /** One rollup row a batch adds to. */
    private record RollupKey(String checkId, int resolution, long bucketMs) {}

    private static void addRollups(Connection c, List<Write> batch) throws SQLException {
        Map<RollupKey, long[]> sums = new LinkedHashMap<>();
        for (Write w : batch) {
            long at = w.result().at().toEpochMilli();
            for (int r = 0; r < RESOLUTIONS_MS.length; r++) {
                long bucket = at - Math.floorMod(at, RESOLUTIONS_MS[r]);
                long[] s = sums.computeIfAbsent(
                        new RollupKey(w.checkId(), r, bucket), k -> new long[5 + LatencyHistogram.SIZE]);
                switch (w.result().status()) {
                    case UP -> s[0]++;
                    case DEGRADED -> s[1]++;
                    default -> s[2]++;
                }
                long latency = w.result().latencyMillis();
                s[3] += latency;
                s[4] = Math.max(s[4], latency);
                s[5 + LatencyHistogram.bucket(latency)]++;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(ROLLUP_SQL)) {
            for (var e : sums.entrySet()) {
                RollupKey k = e.getKey();
                long[] s = e.getValue();
                ps.setString(1, k.checkId());
                ps.setString(2, RESOLUTION_CODES[k.resolution()]);
                ps.setLong(3, k.bucketMs());
                ps.setInt(4, (int) s[0]);
                ps.setInt(5, (int) s[1]);
                ps.setInt(6, (int) s[2]);
                ps.setLong(7, s[3]);
                ps.setInt(8, (int) Math.min(Integer.MAX_VALUE, s[4]));
                for (int i = 0; i < LatencyHistogram.SIZE; i++) ps.setInt(9 + i, (int) s[5 + i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void upsertStates(Connection c, List<Write> batch) throws SQLException {
        Map<String, StoredState> last = new HashMap<>();
        for (Write w : batch) {
            if (w.state() != null) last.put(w.checkId(), w.state());
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO check_state (check_id, status, since_ms, failures, successes, flapping, last_at_ms,
                    last_latency_ms, last_message, definition_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (check_id) DO UPDATE SET status = excluded.status, since_ms = excluded.since_ms,
                    failures = excluded.failures, successes = excluded.successes, flapping = excluded.flapping,
                    last_at_ms = excluded.last_at_ms, last_latency_ms = excluded.last_latency_ms,
                    last_message = excluded.last_message, definition_hash = excluded.definition_hash""")) {
            for (StoredState s : last.values()) {
                ps.setString(1, s.checkId());
                ps.setString(2, s.status().label());
                ps.setLong(3, s.sinceMs());
                ps.setInt(4, s.failures());
                ps.setInt(5, s.successes());
                ps.setShort(6, (short) (s.flapping() ? 1 : 0));
                ps.setLong(7, s.lastAtMs());
                ps.setInt(8, s.lastLatencyMs());
                ps.setString(9, truncate(s.lastMessage()));
                ps.setString(10, s.definitionHash());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static String truncate(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 299) + "…";
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            flush(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closing = true;
        synchronized (queue) {
            queue.notifyAll();
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
