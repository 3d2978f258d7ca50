package dev.opsdeck.backup;

import dev.opsdeck.config.BackupDef;
import dev.opsdeck.config.DrillDef;
import dev.opsdeck.config.KeepConfig;
import dev.opsdeck.config.Units;
import dev.opsdeck.notify.Notifier;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restore drills: a verified backup restored into a scratch database (a temporary one on a server, or a private
 * PostgreSQL), timed, checked against the drill's expectations, recorded, measured and notified. The scratch is
 * removed whatever happens: after a pass, a failure, an exception, a timeout, and (at the next start) after a
 * killed process. One run per drill at a time.
 */
public final class Drills implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Drills.class);

    private final DrillStore store;
    private final Backups backups;
    private final Supplier<KeepConfig> config;
    private final Notifier notifier;
    private final DrillMetrics metrics;
    private final Clock clock;
    private final Map<String, Long> running = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("opsdeck-drill-", 1).daemon().factory());
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("opsdeck-drill-watchdog").daemon().factory());

    /** {@code notifier} may be null (no notifications). */
    public Drills(
            Store store,
            Backups backups,
            Supplier<KeepConfig> config,
            Notifier notifier,
            MeterRegistry registry,
            Clock clock) {
        this.store = new DrillStore(store);
        this.backups = backups;
        this.config = config;
        this.notifier = notifier;
        this.metrics = new DrillMetrics(registry);
        this.clock = clock;
        config.get().drills().keySet().forEach(metrics::drill);
    }

    /**
     * At start-up: a run a killed process left 'running' has its scratch removed and becomes failed; the metrics
     * are restored from each drill's last runs.
     */
    public void recover() {
        for (DrillResult r : store.running()) {
            DrillDef def = config.get().drills().get(r.drill());
            String cleanup;
            try {
                cleanup = ScratchDatabase.remove(
                        r.scratch(), def == null ? null : def.scratch().server());
            } catch (RuntimeException e) {
                cleanup = e instanceof BackupFailure f ? f.describe() : e.toString();
            }
            store.finish(
                    r.id(),
                    DrillResult.FAILED,
                    "interrupted: Opsdeck stopped while this drill ran; " + cleanup,
                    r.checks(),
                    clock.millis());
            LOG.warn("event=drill_recovered drill={} id={} cleanup=\"{}\"", r.drill(), r.id(), cleanup);
        }
        for (String drill : config.get().drills().keySet()) {
            List<DrillResult> recent = store.list(drill, 1);
            DrillResult passed = store.lastPassed(drill);
            if (passed != null && passed.finishedMs() != null && passed.restoreMs() != null && passed.rpoMs() != null) {
                metrics.passed(drill, passed.finishedMs(), passed.restoreMs(), passed.rpoMs());
            }
            if (!recent.isEmpty() && recent.getFirst().status().equals(DrillResult.FAILED)) metrics.failed(drill);
        }
    }

    public DrillDef drill(String name) {
        DrillDef def = config.get().drills().get(name);
        if (def == null) throw new UnknownDrill(name, config.get().drills().keySet());
        return def;
    }

    public List<DrillDef> drills() {
        return List.copyOf(config.get().drills().values());
    }

    /**
     * Runs drill {@code drill} to the end and returns its record; {@code actor} is who or what started it (a user
     * name, {@code schedule:<name>}). A failed drill is a result, not an exception; only an unknown drill
     * ({@link UnknownDrill}) or one already running ({@link BackupFailure}) throws.
     */
    public DrillResult run(String drill, String actor) {
        DrillDef def = drill(drill);
        long id = begin(def, actor);
        finish(def, id);
        return store.get(id);
    }

    /** Starts a drill on a worker thread and returns its run id at once. */
    public long start(String drill, String actor) {
        DrillDef def = drill(drill);
        long id = begin(def, actor);
        workers.execute(() -> finish(def, id));
        return id;
    }

    public DrillResult get(long id) {
        return store.get(id);
    }

    public List<DrillResult> list(String drill, int limit) {
        drill(drill);
        return store.list(drill, limit);
    }

    /** The newest passed run of {@code drill}, or null. */
    public DrillResult lastPassed(String drill) {
        return store.lastPassed(drill);
    }

    /** The newest passed run of any drill of backup target {@code target}, or null: what proves its backups restore. */
    public DrillResult lastPassedOfTarget(String target) {
        return drills().stream()
                .filter(d -> d.target().equals(target))
                .map(d -> store.lastPassed(d.name()))
                .filter(Objects::nonNull)
                .max(Comparator.comparingLong(DrillResult::startedMs))
                .orElse(null);
    }

    private long begin(DrillDef def, String actor) {
        synchronized (running) {
            Long other = running.get(def.name());
            if (other != null)
                throw new BackupFailure(
                        "drill " + def.name() + " is already running (run " + other + ")",
                        "wait for it to finish: opsdeck drill show " + other);
            long id = store.start(def.name(), def.target(), actor == null ? "unknown" : actor, clock.millis());
            running.put(def.name(), id);
            return id;
        }
    }

    private void finish(DrillDef def, long id) {
        Thread worker = Thread.currentThread();
        AtomicBoolean timedOut = new AtomicBoolean();
        AtomicBoolean over = new AtomicBoolean(); // set, under its lock, before the cleanup: no interrupt after it
        ScheduledFuture<?> deadline = watchdog.schedule(
                () -> {
                    synchronized (over) {
                        if (over.get()) return;
                        timedOut.set(true);
                        worker.interrupt(); // stops psql/pg_restore and initdb/pg_ctl (they are waited for
                        // interruptibly)
                    }
                },
                def.timeout().toMillis(),
                TimeUnit.MILLISECONDS);
        String error = null;
        List<DrillResult.Check> checks = List.of();
        ScratchDatabase scratch = null;
        long started = clock.millis();
        try {
            LOG.info("event=drill_started drill={} id={} target={}", def.name(), id, def.target());
            BackupDef target = backups.target(def.target());
            Backup backup = choose(def);
            store.backup(id, backup, null);
            scratch = def.scratch().privateInstance()
                    ? PrivateInstance.start(def, id)
                    : new ScratchServer(def.scratch().server(), id);
            store.scratch(id, scratch.describe());
            Restore restore = backups.restore(backup, scratch.target());
            scratch.claim();
            long restoreStart = clock.millis();
            Restore.Result restored = restore.run(new AtomicLong());
            long rpo = restoreStart - backup.startedMs();
            store.restored(id, restored.durationMs(), rpo);
            LOG.info(
                    "event=drill_restored drill={} id={} backup={} restore_ms={} rpo_ms={}",
                    def.name(),
                    id,
                    backup.id(),
                    restored.durationMs(),
                    rpo);
            Duration left = def.timeout().minusMillis(clock.millis() - started);
            checks = new DrillChecks(def, scratch.target(), PgTarget.parse(target.url()))
                    .run(left.isNegative() ? Duration.ofSeconds(1) : left);
        } catch (RuntimeException e) {
            error = e instanceof BackupFailure f ? f.describe() : e.toString();
        } finally {
            deadline.cancel(false);
            synchronized (over) {
                over.set(true);
            }
            // a deadline that fired must neither stop the cleanup below nor reach the caller's thread (a scheduler's)
            Thread.interrupted();
            if (timedOut.get())
                error = "timed out after " + Units.format(def.timeout()) + " (drills." + def.name() + ".timeout)"
                        + (error == null ? "" : ": " + error);
            if (scratch != null) {
                try {
                    scratch.close();
                } catch (RuntimeException e) {
                    String left = e instanceof BackupFailure f ? f.describe() : e.toString();
                    error = error == null ? left : error + "; " + left;
                }
            }
            running.remove(def.name());
        }
        List<String> failed = checks.stream()
                .filter(c -> !c.passed())
                .map(DrillResult.Check::name)
                .toList();
        if (error == null && !failed.isEmpty()) {
            error = failed.size() + " of " + checks.size() + " checks failed: " + String.join(", ", failed);
        }
        String status = error == null ? DrillResult.PASSED : DrillResult.FAILED;
        store.finish(id, status, error, checks, clock.millis());
        DrillResult result = store.get(id);
        if (result.passed()) {
            metrics.passed(def.name(), result.finishedMs(), result.restoreMs(), result.rpoMs());
            LOG.info(
                    "event=drill_passed drill={} id={} restore_ms={} rpo_ms={}",
                    def.name(),
                    id,
                    result.restoreMs(),
                    result.rpoMs());
        } else {
            metrics.failed(def.name());
            LOG.warn("event=drill_failed drill={} id={} error=\"{}\"", def.name(), id, error);
        }
        announce(def, result);
    }

    /** The chosen backup of the drill's target, or the newest verified one. */
    private Backup choose(DrillDef def) {
        if (def.backupId() != null) {
            Backup b = backups.get(def.backupId());
            if (b == null || !b.target().equals(def.target())) {
                throw new BackupFailure(
                        "backup " + def.backupId() + " of " + def.target() + " does not exist",
                        "choose one listed by opsdeck backup list " + def.target() + ", or set backup: latest");
            }
            return b;
        }
        List<Backup> recent = backups.list(def.target(), 1000);
        return recent.stream()
                .filter(b -> b.status().equals(Backup.VERIFIED))
                .findFirst()
                .orElseThrow(() -> new BackupFailure(
                        "target " + def.target() + " has no verified backup to restore",
                        "take one first: opsdeck backup create " + def.target()));
    }

    private void announce(DrillDef def, DrillResult r) {
        if (notifier == null) return;
        String template = r.passed() ? "drill.passed" : "drill.failed";
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("drill", def.name());
        fields.put("target", def.target());
        fields.put("file", r.backupFile() == null ? "" : r.backupFile());
        fields.put("status", r.status());
        fields.put("rto", r.restoreMs() == null ? "" : Units.format(Duration.ofMillis(r.restoreMs())));
        fields.put("rpo", r.rpoMs() == null ? "" : Units.format(Duration.ofMillis(r.rpoMs())));
        fields.put("summary", summary(r));
        fields.put("drill_run_id", r.id());
        for (String channel : def.channels()) {
            try {
                notifier.enqueue(channel, "drill-" + r.id() + "-" + r.status() + "-" + channel, template, fields);
            } catch (RuntimeException e) {
                LOG.warn(
                        "event=drill_notify_failed drill={} channel={} error=\"{}\"",
                        def.name(),
                        channel,
                        e.toString());
            }
        }
    }

    /** The failed checks with what was measured, or the error: what a person reading the message needs. */
    private static String summary(DrillResult r) {
        List<String> lines = new ArrayList<>();
        for (DrillResult.Check c : r.failedChecks()) lines.add(c.name() + ": " + c.detail());
        if (r.error() != null && lines.isEmpty()) lines.add(r.error());
        return String.join("\n", lines);
    }

    /** A drill name that is not configured. */
    public static final class UnknownDrill extends RuntimeException {
        UnknownDrill(String name, Set<String> known) {
            super("no drill '" + name + "'"
                    + (known.isEmpty()
                            ? "; none is configured (drills: in the config)"
                            : "; configured: "
                                    + String.join(", ", known.stream().sorted().toList())));
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        watchdog.shutdownNow();
    }
}
