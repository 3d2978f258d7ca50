package dev.opsdeck.monitor;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Status;
import dev.opsdeck.store.HistoryRepository;
import dev.opsdeck.store.ResultWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last 24 hours' uptime of every check, answered from memory so a status read costs no query: a base loaded
 * from the hourly rollups of all checks in one query, plus the results this node recorded since, counted as they
 * come. The base is loaded again in the background once it is older than {@link #REFRESH_MS} (only while someone
 * reads), which also slides the window; a read never waits for it, except the very first.
 *
 * <p>With several nodes, the results of checks another node probes reach this node's figures with the next load.
 */
public final class UptimeBoard implements ResultListener {
    private static final Logger LOG = LoggerFactory.getLogger(UptimeBoard.class);
    static final long WINDOW_MS = Duration.ofHours(24).toMillis();
    static final long REFRESH_MS = 60_000;
    /** How long a load waits for the results already recorded to be stored, so they are counted once. */
    private static final long FLUSH_WAIT_MS = 5_000;

    /** Results of one check by status. */
    public record Counts(long up, long degraded, long down) {
        static final Counts NONE = new Counts(0, 0, 0);

        public long total() {
            return up + degraded + down;
        }

        /** Percent of results that were up or degraded (the service answered); NaN without results. */
        public double uptimePercent() {
            return total() == 0 ? Double.NaN : 100.0 * (up + degraded) / total();
        }

        Counts plus(Counts o) {
            return new Counts(up + o.up, degraded + o.degraded, down + o.down);
        }
    }

    /** Results counted in memory since a base was loaded. */
    private static final class Tally {
        private int up;
        private int degraded;
        private int down;

        synchronized void add(Status s) {
            switch (s) {
                case UP -> up++;
                case DEGRADED -> degraded++;
                default -> down++;
            }
        }

        static Tally sum(Tally a, Tally b) {
            Counts x = a.counts().plus(b.counts());
            Tally t = new Tally();
            t.up = (int) x.up();
            t.degraded = (int) x.degraded();
            t.down = (int) x.down();
            return t;
        }

        synchronized Counts counts() {
            return new Counts(up, degraded, down);
        }
    }

    /**
     * {@code carried}: the tallies taken while the loading base was being read (dropped with it once the new base
     * holds them); {@code live}: tallies since.
     */
    private record State(
            Map<String, Counts> base, Map<String, Tally> carried, Map<String, Tally> live, long loadedMs) {}

    private final HistoryRepository history;
    private final ResultWriter writer;
    private final Clock clock;
    private final AtomicBoolean loading = new AtomicBoolean();
    private volatile State state = new State(null, Map.of(), new ConcurrentHashMap<>(), 0);

    public UptimeBoard(HistoryRepository history, ResultWriter writer, Clock clock) {
        this.history = history;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public void onResult(String checkId, CheckResult result, Status current, Status previous) {
        // the result itself, as the rollups count it, not the state after thresholds
        state.live().computeIfAbsent(checkId, k -> new Tally()).add(result.status());
    }

    /** The check's results over the last 24 hours, or null when it has none. */
    public Counts counts(String checkId) {
        State s = fresh();
        Counts c = s.base().getOrDefault(checkId, Counts.NONE);
        Tally carried = s.carried().get(checkId);
        if (carried != null) c = c.plus(carried.counts());
        Tally live = s.live().get(checkId);
        if (live != null) c = c.plus(live.counts());
        return c.total() == 0 ? null : c;
    }

    /** When the base was last loaded from the store; 0 before. */
    long loadedMs() {
        return state.loadedMs();
    }

    private State fresh() {
        State s = state;
        if (s.base() == null) {
            synchronized (this) { // the first read loads; readers at the same moment wait for it, not load again
                if (state.base() == null) load();
            }
            return state;
        }
        if (clock.millis() - s.loadedMs() >= REFRESH_MS && loading.compareAndSet(false, true)) {
            Thread.ofVirtual().name("opsdeck-uptime-load").start(() -> {
                try {
                    load();
                } finally {
                    loading.set(false);
                }
            });
        }
        return s;
    }

    /**
     * New tallies start before the results recorded so far are flushed and the base is read, so each result is
     * counted once: in the base when it was recorded before, in the new tallies when after (one recorded during the
     * switch may be in both, off by one result of a day's for a moment).
     */
    private void load() {
        State before = state;
        Map<String, Tally> carried = before.live();
        if (!before.carried().isEmpty()) { // a load that failed: its tallies are still not in any base
            carried = new HashMap<>(before.carried());
            for (var e : before.live().entrySet()) {
                Tally t = carried.get(e.getKey());
                carried.put(e.getKey(), t == null ? e.getValue() : Tally.sum(t, e.getValue()));
            }
        }
        state = new State(before.base(), carried, new ConcurrentHashMap<>(), before.loadedMs());
        long now = clock.millis();
        try {
            if (!writer.flush(FLUSH_WAIT_MS)) LOG.warn("event=uptime_load_flush_slow");
            Map<String, Counts> base = new HashMap<>();
            history.statusCounts(
                    'h', now - WINDOW_MS, (id, up, degraded, down) -> base.put(id, new Counts(up, degraded, down)));
            State mid = state;
            state = new State(base, Map.of(), mid.live(), now);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            LOG.warn("event=uptime_load_failed error=\"{}\"", e.toString());
            // keep counting on the last base (or none); the next read after REFRESH_MS tries again
            State mid = state;
            state = new State(mid.base() == null ? Map.of() : mid.base(), mid.carried(), mid.live(), now);
        }
    }
}
