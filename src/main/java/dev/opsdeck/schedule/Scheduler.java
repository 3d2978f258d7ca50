package dev.opsdeck.schedule;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.alert.AlertSink;
import dev.opsdeck.config.ScheduleDef;
import dev.opsdeck.config.Units;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the configured schedules. Every fire time is a row in the store, claimed by inserting it under the key
 * (schedule, fire time): the node whose insert goes in runs the slot, so several nodes on one PostgreSQL store fire
 * each slot once, and after a restart the last claimed slot says where to continue. A slot found late by more than
 * {@link #ON_TIME} was missed (Opsdeck was down): {@code missed: run_once} runs it once if it is within
 * {@code grace}, otherwise (and always with {@code skip}) it is recorded as missed and alerts.
 *
 * <p>{@link #tick()} does one round and is what tests call with their own clock; {@link #start()} calls it every
 * second.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** How late a slot may be found and still count as on time: covers a slow tick, a GC pause, a busy store. */
    static final Duration ON_TIME = Duration.ofMinutes(1);
    /** Past this many due slots (a per-second schedule after a long outage) stop counting: only the last one matters. */
    private static final int MAX_COUNTED = 10_000;

    public static final String CAUSE_SCHEDULE = "schedule";
    public static final String CAUSE_MANUAL = "manual";
    public static final String ACTOR = "schedule";

    /** A schedule as listed: its definition, the next fire times and the latest run. */
    public record Entry(ScheduleDef def, List<Instant> next, ScheduleRun last) {}

    private final ScheduleStore store;
    private final Supplier<Map<String, ScheduleDef>> config;
    private final Targets targets;
    private final AlertSink alerts;
    private final ScheduleMetrics metrics;
    private final Clock clock;
    private final String node;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final Set<Thread> working = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService ticker;

    /**
     * {@code node} names this process in the run records (the host name in production; tests give two names to
     * play two nodes). {@code alerts} may be null (no alerts).
     */
    public Scheduler(
            Store store,
            Supplier<Map<String, ScheduleDef>> config,
            Targets targets,
            AlertSink alerts,
            MeterRegistry registry,
            Clock clock,
            String node) {
        this.store = new ScheduleStore(store);
        this.config = config;
        this.targets = targets;
        this.alerts = alerts;
        this.metrics = new ScheduleMetrics(registry);
        this.clock = clock;
        this.node = node;
        config.get().keySet().forEach(metrics::schedule);
    }

    /** The host name: what a run record says about where it ran, and what a restart of this host cleans up. */
    public static String localNode() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * Marks runs this node left running or queued when it stopped as failed (and alerts, as for any failed run),
     * restores the metrics from the store, then ticks every second on a daemon thread.
     */
    public Scheduler start() {
        recover();
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("opsdeck-scheduler").daemon().factory());
        ticker.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
        return this;
    }

    /** The start-up part of {@link #start()}, without the ticking thread. */
    public void recover() {
        int n = 0;
        for (ScheduleRun r : store.leftBy(node)) {
            long now = clock.millis();
            ScheduleDef def = config.get().get(r.schedule()); // null: no longer configured
            // a run that did not end is a failed run, and pages like one. Told before the row changes: a crash between
            // the two tells it again at the next start, into the same still firing alert, never not at all.
            if (def != null) alert(def, "failed", ScheduleStore.INTERRUPTED);
            if (store.interrupted(r, now)) {
                n++;
                if (def != null) metrics.failed(def.name(), r.startedMs() == null ? 0 : now - r.startedMs());
            }
        }
        if (n > 0) LOG.warn("event=schedule_runs_interrupted node={} runs={}", node, n);
        for (String name : config.get().keySet()) {
            for (ScheduleRun r : store.list(name, 100)) {
                if (r.status().equals(ScheduleRun.OK) && r.endedMs() != null) {
                    metrics.succeeded(name, r.endedMs(), r.durationMs() == null ? 0 : r.durationMs());
                    break;
                }
            }
        }
    }

    /** One round: every schedule's due slot is claimed and started, missed or skipped; queued runs start when free. */
    public void tick() {
        for (ScheduleDef def : config.get().values()) {
            if (def.cron() == null || def.target() == null) continue; // a config with problems never gets here
            try {
                tick(def);
            } catch (RuntimeException e) {
                LOG.warn("event=schedule_tick_failed schedule={} error=\"{}\"", def.name(), e.toString());
            }
        }
    }

    private void tick(ScheduleDef def) {
        long now = clock.millis();
        metrics.schedule(def.name());
        long since = seen.computeIfAbsent(def.name(), n -> store.seen(n, now));
        Long last = store.lastFire(def.name());
        Instant from = Instant.ofEpochMilli(last == null ? since : Math.max(last, since));
        Instant slot = def.cron().next(from, def.zone());
        Instant latest = null;
        Instant previous = null;
        int due = 0;
        while (slot != null && due(def, slot) <= now) {
            previous = latest;
            latest = slot;
            if (++due == MAX_COUNTED) {
                // skip ahead: only the last slot or two decide what happens
                Instant near = Instant.ofEpochMilli(now)
                        .minus(def.grace())
                        .minus(ON_TIME)
                        .minus(def.jitter());
                if (near.isAfter(slot)) slot = def.cron().next(near, def.zone());
                else slot = def.cron().next(slot, def.zone());
                continue;
            }
            slot = def.cron().next(slot, def.zone());
        }
        if (latest != null) {
            long late = now - due(def, latest);
            String earlier = due > 1
                    ? "; " + (due - 1) + (due >= MAX_COUNTED ? "+" : "") + " earlier slot" + (due > 2 ? "s" : "")
                            + " since " + from + " also missed"
                    : "";
            if (late <= ON_TIME.toMillis()) {
                if (due > 1 && def.missed() == ScheduleDef.Missed.SKIP) {
                    // the slot before this one was missed while Opsdeck was down: say so, then run this one on time
                    missed(
                            def,
                            previous,
                            "Opsdeck was not running at " + previous
                                    + (due > 2
                                            ? "; " + (due - 2) + " earlier slot" + (due > 3 ? "s" : "") + " since "
                                                    + from + " also missed"
                                            : ""));
                }
                fire(def, latest.toEpochMilli(), CAUSE_SCHEDULE, ACTOR, due > 1 ? "on time" + earlier : null);
            } else if (def.missed() == ScheduleDef.Missed.RUN_ONCE
                    && late <= def.grace().toMillis()) {
                fire(
                        def,
                        latest.toEpochMilli(),
                        CAUSE_SCHEDULE,
                        ACTOR,
                        "late by " + Units.format(Duration.ofMillis(late))
                                + " (Opsdeck was not running at the fire time), run once within grace "
                                + Units.format(def.grace())
                                + earlier);
            } else {
                missed(
                        def,
                        latest,
                        "Opsdeck was not running at " + latest + " and "
                                + (def.missed() == ScheduleDef.Missed.SKIP
                                        ? "missed: skip is set"
                                        : "the grace of " + Units.format(def.grace()) + " has passed (late by "
                                                + Units.format(Duration.ofMillis(late)) + ")")
                                + earlier);
            }
        }
        startQueued(def);
    }

    /** When a slot is due: its fire time plus this schedule's jitter for it (the same on every node). */
    private static long due(ScheduleDef def, Instant slot) {
        long jitter = def.jitter().toMillis();
        if (jitter <= 0) return slot.toEpochMilli();
        long spread = Math.floorMod((def.name() + "@" + slot.toEpochMilli()).hashCode() * 0x9E3779B97F4A7C15L, jitter);
        return slot.toEpochMilli() + spread;
    }

    /** Runs a schedule now, outside its cron times, as {@code actor}; the overlap policy applies. */
    public ScheduleRun runNow(String name, String actor) {
        ScheduleDef def = schedule(name);
        long fire = clock.millis();
        while (!fire(def, fire, CAUSE_MANUAL, actor, "run now by " + actor)) fire++; // two in one millisecond
        return store.get(name, fire);
    }

    /**
     * Claims the slot and starts it, skips it or queues it as the overlap policy says. False when the slot was
     * already claimed (by another node, or before a restart).
     */
    private boolean fire(ScheduleDef def, long fireMs, String cause, String actor, String note) {
        long now = clock.millis();
        boolean busy = !store.inStatus(def.name(), ScheduleRun.RUNNING).isEmpty();
        String status = !busy || def.overlap() == ScheduleDef.Overlap.ALLOW
                ? ScheduleRun.RUNNING
                : def.overlap() == ScheduleDef.Overlap.QUEUE ? ScheduleRun.QUEUED : ScheduleRun.SKIPPED;
        String message = switch (status) {
            case ScheduleRun.SKIPPED -> "skipped: the previous run is still going (overlap: skip)";
            case ScheduleRun.QUEUED -> "queued: waits for the previous run to end (overlap: queue)";
            default -> note;
        };
        ScheduleRun run = new ScheduleRun(
                def.name(),
                fireMs,
                cause,
                node,
                status,
                status.equals(ScheduleRun.QUEUED) ? null : now,
                status.equals(ScheduleRun.SKIPPED) ? now : null,
                def.target().kind(),
                def.target().ref(),
                null,
                actor,
                message);
        if (!store.claim(run)) return false;
        LOG.info(
                "event=schedule_fired schedule={} fire_time={} cause={} status={} node={}",
                def.name(),
                Instant.ofEpochMilli(fireMs),
                cause,
                status,
                node);
        if (status.equals(ScheduleRun.RUNNING)) execute(def, run);
        return true;
    }

    private void missed(ScheduleDef def, Instant slot, String message) {
        long now = clock.millis();
        ScheduleRun run = new ScheduleRun(
                def.name(),
                slot.toEpochMilli(),
                CAUSE_SCHEDULE,
                node,
                ScheduleRun.MISSED,
                null,
                now,
                def.target().kind(),
                def.target().ref(),
                null,
                ACTOR,
                message);
        if (!store.claim(run)) return;
        LOG.warn("event=schedule_missed schedule={} fire_time={} message=\"{}\"", def.name(), slot, message);
        metrics.missed(def.name());
        alert(def, "missed", message);
    }

    /** Starts the oldest queued run of a schedule once none of its runs is running (on any node). */
    private void startQueued(ScheduleDef def) {
        if (!store.inStatus(def.name(), ScheduleRun.RUNNING).isEmpty()) return;
        for (ScheduleRun q : store.inStatus(def.name(), ScheduleRun.QUEUED)) {
            long now = clock.millis();
            if (store.move(def.name(), q.fireMs(), ScheduleRun.QUEUED, ScheduleRun.RUNNING, node, now)) {
                execute(def, store.get(def.name(), q.fireMs()));
                return;
            }
        }
    }

    private void execute(ScheduleDef def, ScheduleRun run) {
        Thread t = Thread.ofVirtual().name("schedule-" + def.name()).unstarted(() -> {
            try {
                work(def, run);
            } finally {
                working.remove(Thread.currentThread());
            }
        });
        working.add(t);
        t.start();
    }

    private void work(ScheduleDef def, ScheduleRun run) {
        long started = run.startedMs() == null ? clock.millis() : run.startedMs();
        Outcome outcome;
        try {
            outcome = targets.run(
                    def.target(),
                    run.actor() == null ? ACTOR : run.actor(),
                    ref -> store.ref(def.name(), run.fireMs(), ref));
        } catch (RuntimeException e) {
            outcome = Outcome.failed(e.toString());
        }
        long ended = clock.millis();
        String status = outcome.ok() ? ScheduleRun.OK : ScheduleRun.FAILED;
        String message = run.message() == null ? outcome.message() : outcome.message() + " (" + run.message() + ")";
        try {
            store.finish(def.name(), run.fireMs(), status, ended, outcome.ref(), message);
        } catch (RuntimeException e) {
            LOG.error("event=schedule_record_failed schedule={} error=\"{}\"", def.name(), e.toString());
        }
        LOG.info(
                "event=schedule_run_ended schedule={} fire_time={} status={} duration_ms={} message=\"{}\"",
                def.name(),
                Instant.ofEpochMilli(run.fireMs()),
                status,
                ended - started,
                outcome.message());
        if (outcome.ok()) {
            metrics.succeeded(def.name(), ended, ended - started);
            resolve(def);
        } else {
            metrics.failed(def.name(), ended - started);
            alert(def, "failed", message);
        }
        try {
            startQueued(def);
        } catch (RuntimeException e) {
            LOG.warn("event=schedule_queue_failed schedule={} error=\"{}\"", def.name(), e.toString());
        }
    }

    /** A failed or missed run pages through the same path as every other alert: the incident manager. */
    private void alert(ScheduleDef def, String result, String message) {
        if (alerts == null || !def.alertOn().contains(result)) return;
        alerts.accept(event(def, result, AlertEvent.State.FIRING, summary(def, result, message)));
    }

    /** "schedule nightly missed: Opsdeck was not running at …": the alert's summary and its incident's title. */
    private static String summary(ScheduleDef def, String result, String message) {
        return "schedule " + def.name() + " " + result + ": " + message;
    }

    /**
     * The schedules' alerts that fire now, as the firing events that raised them, for {@code GET /api/v1/alerts}
     * beside the rules' alerts. They are not kept apart from the runs: the alert of a result ({@code failed},
     * {@code missed}) fires from the first such run after the schedule's last ok run, and the next ok run resolves
     * it, which is exactly what {@link #alert} and {@link #resolve} told the incident manager. So every node sharing
     * the store answers the same.
     */
    public List<AlertEvent> firing() {
        List<AlertEvent> out = new ArrayList<>();
        for (ScheduleDef def : config.get().values()) {
            if (def.target() == null) continue;
            for (String result : def.alertOn()) {
                ScheduleRun first = store.firstSinceLastOk(def.name(), result);
                if (first == null) continue;
                AlertEvent e = event(def, result, AlertEvent.State.FIRING, summary(def, result, first.message()));
                out.add(new AlertEvent(
                        e.fingerprint(),
                        e.source(),
                        e.name(),
                        e.state(),
                        e.severity(),
                        e.service(),
                        e.rootCause(),
                        e.impacted(),
                        e.suppressed(),
                        e.labels(),
                        e.summary(),
                        e.description(),
                        e.runbook(),
                        Instant.ofEpochMilli(first.endedMs()),
                        null));
            }
        }
        return out;
    }

    /** A run that succeeded resolves the schedule's failed and missed alerts (a no-op when none fires). */
    private void resolve(ScheduleDef def) {
        if (alerts == null) return;
        for (String result : def.alertOn()) {
            alerts.accept(event(def, result, AlertEvent.State.RESOLVED, "schedule " + def.name() + " ran ok"));
        }
    }

    private AlertEvent event(ScheduleDef def, String result, AlertEvent.State state, String summary) {
        String name = "Schedule" + Character.toUpperCase(result.charAt(0)) + result.substring(1); // ScheduleFailed
        return new AlertEvent(
                "schedule/" + def.name() + "/" + result,
                "schedule",
                name,
                state,
                AlertEvent.Severity.valueOf(def.severity()),
                null,
                null,
                List.of(),
                false,
                Map.of(
                        "schedule",
                        def.name(),
                        "result",
                        result,
                        "target",
                        def.target().kind() + ":" + def.target().ref()),
                summary,
                def.description().isEmpty() ? null : def.description(),
                def.target() instanceof ScheduleDef.RunbookTarget r ? r.ref() : null,
                clock.instant(),
                null);
    }

    public ScheduleDef schedule(String name) {
        ScheduleDef def = config.get().get(name);
        if (def == null) throw new UnknownSchedule(name, config.get().keySet());
        return def;
    }

    /** Every schedule with its next {@code count} fire times and latest run. */
    public List<Entry> list(int count) {
        List<Entry> out = new ArrayList<>();
        for (ScheduleDef def : config.get().values()) out.add(entry(def, count));
        return out;
    }

    public Entry entry(String name, int count) {
        return entry(schedule(name), count);
    }

    private Entry entry(ScheduleDef def, int count) {
        List<ScheduleRun> last = store.list(def.name(), 1);
        return new Entry(def, next(def, clock.instant(), count), last.isEmpty() ? null : last.getFirst());
    }

    /** The next {@code count} fire times after {@code after} (without jitter). */
    public static List<Instant> next(ScheduleDef def, Instant after, int count) {
        List<Instant> out = new ArrayList<>();
        Instant t = after;
        while (def.cron() != null && out.size() < count && (t = def.cron().next(t, def.zone())) != null) out.add(t);
        return out;
    }

    public List<ScheduleRun> runs(String name, int limit) {
        schedule(name);
        return store.list(name, limit);
    }

    public Optional<ScheduleRun> run(String name, long fireMs) {
        return Optional.ofNullable(store.get(name, fireMs));
    }

    /** Waits until no run started by this process is going; true when none is. For tests and orderly shutdown. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!working.isEmpty()) {
            if (System.nanoTime() > end) return false;
            Thread.sleep(10);
        }
        return true;
    }

    /** A schedule name that is not configured. */
    public static final class UnknownSchedule extends RuntimeException {
        UnknownSchedule(String name, Set<String> known) {
            super("no schedule '" + name + "'"
                    + (known.isEmpty()
                            ? "; none is configured (schedules: in the config)"
                            : "; configured: "
                                    + String.join(", ", known.stream().sorted().toList())));
        }
    }

    /** Stops ticking; runs still going are cut off and marked failed at this node's next start. */
    @Override
    public void close() {
        if (ticker != null) ticker.shutdownNow();
        working.forEach(Thread::interrupt);
    }
}
