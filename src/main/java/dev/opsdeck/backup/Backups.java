package dev.opsdeck.backup;

import dev.opsdeck.config.BackupDef;
import dev.opsdeck.config.BuildVersion;
import dev.opsdeck.config.KeepConfig;
import dev.opsdeck.notify.Notifier;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups of the configured targets: dump, copy to every destination, verify, apply retention, record, measure
 * and notify. One backup per target runs at a time: one asked for by a person while another runs is refused (they
 * get an answer at once and can look at the running one); one a schedule starts waits its turn, in the order asked
 * ({@link #startInTurn}). Everything a second look needs is in the store; the temporary
 * files of a process that died are removed by {@link #recover()} at the next start.
 */
public final class Backups implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Backups.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final BackupStore store;
    private final Supplier<KeepConfig> config;
    private final Supplier<Map<String, List<CompiledDestination>>> destinations;
    private final Path dataDir;
    private final Notifier notifier;
    private final BackupMetrics metrics;
    private final Clock clock;
    private final Uploads uploads;
    private final Map<String, Long> running = new ConcurrentHashMap<>();
    /** Per target, the one permit to run a backup; fair, so waiting backups start in the order they asked. */
    private final Map<String, Semaphore> turns = new ConcurrentHashMap<>();

    private final Map<Long, AtomicLong> progress = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("opsdeck-backup-", 1).daemon().factory());

    /**
     * {@code destinations}: each target's compiled destinations, from the same configuration as {@code config};
     * {@code notifier} may be null (no notifications); {@code retryBaseMs} is the first upload retry's delay.
     */
    public Backups(
            Store store,
            Supplier<KeepConfig> config,
            Supplier<Map<String, List<CompiledDestination>>> destinations,
            Path dataDir,
            Notifier notifier,
            MeterRegistry registry,
            Clock clock,
            long retryBaseMs) {
        this.store = new BackupStore(store);
        this.config = config;
        this.destinations = destinations;
        this.dataDir = dataDir;
        this.notifier = notifier;
        this.metrics = new BackupMetrics(registry);
        this.clock = clock;
        this.uploads = new Uploads(this.store, clock, retryBaseMs);
        config.get().backups().keySet().forEach(metrics::target);
    }

    public Backups(
            Store store,
            Supplier<KeepConfig> config,
            Supplier<Map<String, List<CompiledDestination>>> destinations,
            Path dataDir,
            Notifier notifier,
            MeterRegistry registry,
            Clock clock) {
        this(store, config, destinations, dataDir, notifier, registry, clock, 2_000);
    }

    /**
     * At start-up: a backup a killed process left 'running' becomes failed, and its partial files in every spool
     * and local destination are deleted. Also restores the metrics from the last verified backup of each target.
     * An interrupted backup is a failure like any other: its channels get {@code backup.failed} and it counts in the
     * failures. The message is queued before the row is marked, under the same idempotency key as any failure of
     * that backup, so a crash between the two sends it once at the next start, never twice and never not at all.
     */
    public void recover() {
        for (BackupDef def : config.get().backups().values()) {
            for (Backup b : store.list(def.name(), 50)) {
                if (b.status().equals(Backup.VERIFIED) && b.sizeBytes() != null && b.finishedMs() != null) {
                    metrics.succeeded(
                            def.name(),
                            b.verifiedMs() != null ? b.verifiedMs() : b.finishedMs(),
                            b.sizeBytes(),
                            (b.verifiedMs() != null ? b.verifiedMs() : b.finishedMs()) - b.startedMs());
                    break;
                }
            }
        }
        int n = 0;
        for (Backup b : store.running()) {
            long now = clock.millis();
            BackupDef def = config.get().backups().get(b.target()); // null: the target is no longer configured
            if (def != null) {
                announce(
                        def,
                        new Backup(
                                b.id(),
                                b.target(),
                                b.fileName(),
                                Backup.FAILED,
                                b.startedMs(),
                                now,
                                b.verifiedMs(),
                                b.sizeBytes(),
                                b.sha256(),
                                b.manifest(),
                                BackupStore.INTERRUPTED,
                                b.copies()),
                        "backup.failed");
            }
            if (store.interrupted(b.id(), now)) {
                n++;
                if (def != null) metrics.failed(def.name());
                LOG.warn(
                        "event=backup_failed target={} id={} error=\"{}\"",
                        b.target(),
                        b.id(),
                        BackupStore.INTERRUPTED);
            }
        }
        int files = 0;
        for (BackupDef def : config.get().backups().values()) {
            files += Spool.removePartials(spool(def));
            for (CompiledDestination d : compiled(def)) {
                if (d.directory() != null) files += Spool.removePartials(d.directory());
            }
        }
        if (n > 0 || files > 0) LOG.warn("event=backup_recovered interrupted={} partial_files_removed={}", n, files);
    }

    public BackupDef target(String name) {
        BackupDef def = config.get().backups().get(name);
        if (def == null) throw new UnknownTarget(name, config.get().backups().keySet());
        return def;
    }

    public List<BackupDef> targets() {
        return List.copyOf(config.get().backups().values());
    }

    /** A target's destinations as configured (names, types, where the files go, retention). */
    public List<CompiledDestination> destinations(String target) {
        return compiled(target(target));
    }

    /** Starts a backup on a worker thread and returns its id at once; refused while one of the target runs. */
    public long start(String target) {
        BackupDef def = target(target);
        long id = begin(def, turnNow(def));
        workers.execute(() -> finish(def, id));
        return id;
    }

    /**
     * Waits until no other backup of the target runs (nor any that asked earlier), then starts one on a worker
     * thread and returns its id: what a schedule does, so two schedules of one target run one after the other.
     */
    public long startInTurn(String target) throws InterruptedException {
        BackupDef def = target(target);
        Semaphore turn = turn(def);
        if (!turn.tryAcquire()) {
            LOG.info("event=backup_waiting target={} reason=\"another backup of the target is running\"", def.name());
            turn.acquire();
        }
        long id = begin(def, turn);
        workers.execute(() -> finish(def, id));
        return id;
    }

    /** Runs a backup to the end (dump, copies, verification, retention) and returns its record. */
    public Backup create(String target) {
        BackupDef def = target(target);
        long id = begin(def, turnNow(def));
        finish(def, id);
        return store.get(id);
    }

    private Semaphore turn(BackupDef def) {
        return turns.computeIfAbsent(def.name(), t -> new Semaphore(1, true));
    }

    /** The target's permit, or the refusal that names the backup running. */
    private Semaphore turnNow(BackupDef def) {
        Semaphore turn = turn(def);
        if (!turn.tryAcquire()) {
            Long other = running.get(def.name());
            throw new BackupFailure(
                    "a backup of " + def.name() + " is already running" + (other == null ? "" : " (id " + other + ")"),
                    "wait for it to finish: opsdeck backup list " + def.name());
        }
        return turn;
    }

    /** Records the start of a backup whose permit the caller holds; gives the permit back when that fails. */
    private long begin(BackupDef def, Semaphore turn) {
        try {
            long now = clock.millis();
            String fileName = fileName(def, now);
            long id = store.start(def.name(), fileName, now);
            running.put(def.name(), id);
            progress.put(id, new AtomicLong());
            return id;
        } catch (RuntimeException e) {
            turn.release();
            throw e;
        }
    }

    /**
     * The file's name carries the start time to the second; a backup that starts in the second the previous one of
     * the target started (a short one followed by a waiting one) takes the next second, so no file is overwritten.
     */
    private String fileName(BackupDef def, long now) {
        List<Backup> last = store.list(def.name(), 1);
        long stamp = now;
        String name;
        do {
            name = def.name() + "_" + STAMP.format(Instant.ofEpochMilli(stamp)) + Dumper.extension(def);
            stamp += 1_000;
        } while (!last.isEmpty() && last.getFirst().fileName().equals(name));
        return name;
    }

    private void finish(BackupDef def, long id) {
        Backup b = store.get(id);
        try {
            new Run(def, b, progress.get(id)).run();
        } catch (RuntimeException e) {
            String why = e instanceof BackupFailure f ? f.describe() : e.toString();
            store.status(id, Backup.FAILED, null, why, clock.millis());
            metrics.failed(def.name());
            LOG.warn("event=backup_failed target={} id={} error=\"{}\"", def.name(), id, why);
            announce(def, store.get(id), "backup.failed");
        } finally {
            running.remove(def.name());
            progress.remove(id);
            turn(def).release();
        }
    }

    /** Bytes written so far by a running backup; null when it is not running. */
    public Long progress(long id) {
        AtomicLong p = progress.get(id);
        return p == null ? null : p.get();
    }

    public Backup get(long id) {
        return store.get(id);
    }

    public List<Backup> list(String target, int limit) {
        target(target);
        return store.list(target, limit);
    }

    /** Re-reads every copy of a backup and tests the archive again; updates and returns the record. */
    public Backup verify(long id) {
        Backup b = store.get(id);
        if (b == null) throw new UnknownBackup(id);
        BackupDef def = target(b.target());
        new Verification(def, store, destinations(def), tools(def), clock).verifyAll(b);
        Backup after = store.get(id);
        if (!after.status().equals(Backup.VERIFIED)) {
            metrics.failed(def.name());
            announce(def, after, "backup.failed");
        }
        return after;
    }

    /** What retention would delete (dry run) or deletes now, per destination. */
    public List<Expired> retention(String target, boolean dryRun) {
        BackupDef def = target(target);
        return new Pruning(def, store, destinations(def), clock).apply(dryRun);
    }

    /** One copy retention removes (or would remove). */
    public record Expired(long backupId, String file, String destination, String location, String startedAt) {}

    /** Retries uploads whose time has come; called by the server's housekeeping. */
    public void retryUploads() {
        for (Backup b : store.withCopiesIn(Backup.Copy.PENDING)) {
            BackupDef def = config.get().backups().get(b.target());
            if (def == null || running.containsKey(def.name())) continue;
            uploads.retry(b, destinations(def), spool(def));
            Backup after = store.get(b.id());
            if (after.status().equals(Backup.VERIFIED)) {
                metrics.succeeded(def.name(), clock.millis(), after.sizeBytes(), clock.millis() - after.startedMs());
                announce(def, after, "backup.succeeded");
            }
        }
    }

    /**
     * Checks a restore of a backup into the database at {@code url} and returns it ready to {@link Restore#run};
     * refusals (an existing database without {@code confirm}, an unverified backup) are thrown here, before any work.
     */
    public Restore restore(long id, String url, boolean confirm) {
        return restore(id, url, confirm, null);
    }

    /** As {@link #restore(long, String, boolean)}, reading only the copy in destination {@code from} (null: any). */
    public Restore restore(long id, String url, boolean confirm, String from) {
        Backup b = store.get(id);
        if (b == null) throw new UnknownBackup(id);
        BackupDef def = target(b.target());
        return new Restore(def, b, destinations(def), tools(def)).from(from).check(url, confirm);
    }

    /** A restore into a drill's scratch database, which must not exist yet. */
    Restore restore(Backup b, PgTarget into) {
        BackupDef def = target(b.target());
        return new Restore(def, b, destinations(def), tools(def)).check(into, false);
    }

    Path spool(BackupDef def) {
        return compiled(def).stream()
                .map(CompiledDestination::directory)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(dataDir.resolve("backup-spool").resolve(def.name()));
    }

    static PgTools tools(BackupDef def) {
        return new PgTools(def.pgBin(), "backups." + def.name() + ".pg_bin");
    }

    /** The target's destinations, opened for one operation, which closes them ({@link #closeAll}). */
    private List<Destination> destinations(BackupDef def) {
        List<Destination> out = new ArrayList<>();
        for (CompiledDestination d : compiled(def)) out.add(d.open());
        return out;
    }

    private List<CompiledDestination> compiled(BackupDef def) {
        List<CompiledDestination> compiled = destinations.get().get(def.name());
        // none when a reload removed the target after the caller read its definition
        if (compiled == null)
            throw new UnknownTarget(def.name(), config.get().backups().keySet());
        return compiled;
    }

    /** Tells each channel once per backup, message and status (the key names the channel: one per channel). */
    void announce(BackupDef def, Backup b, String template) {
        if (notifier == null) return;
        for (String channel : def.channels()) {
            try {
                String key = "backup-" + b.id() + "-" + template + "-" + b.status() + "-" + channel;
                notifier.enqueue(
                        channel,
                        key,
                        template,
                        Map.of(
                                "target",
                                def.name(),
                                "file",
                                b.fileName(),
                                "size",
                                b.sizeBytes() == null ? "" : b.sizeBytes(),
                                "status",
                                b.status(),
                                "summary",
                                b.error() == null ? "" : b.error(),
                                "backup_id",
                                b.id()));
            } catch (RuntimeException e) {
                LOG.warn(
                        "event=backup_notify_failed target={} channel={} error=\"{}\"",
                        def.name(),
                        channel,
                        e.toString());
            }
        }
    }

    /** One backup from dump to verdict. */
    private final class Run {
        private final BackupDef def;
        private final Backup backup;
        private final AtomicLong bytes;

        Run(BackupDef def, Backup backup, AtomicLong bytes) {
            this.def = def;
            this.backup = backup;
            this.bytes = bytes;
        }

        void run() {
            PgTools tools = tools(def);
            PgTarget target = PgTarget.parse(def.url());
            Path spool = spool(def);
            LOG.info(
                    "event=backup_started target={} id={} database=\"{}\" file={}",
                    def.name(),
                    backup.id(),
                    target.display(),
                    backup.fileName());
            Dumper.Dump dump = new Dumper(def, target, tools).run(spool, backup.fileName(), bytes);
            long dumped = clock.millis();
            Manifest manifest = new Manifest(
                    def.name(),
                    target.database(),
                    target.where(),
                    dump.server().text(),
                    dump.pgDump().text(),
                    def.format(),
                    def.compression(),
                    def.level(),
                    backup.fileName(),
                    dump.sizeBytes(),
                    dump.sha256(),
                    Instant.ofEpochMilli(backup.startedMs()).toString(),
                    Instant.ofEpochMilli(dumped).toString(),
                    dumped - backup.startedMs(),
                    BuildVersion.current());
            store.dumped(
                    backup.id(),
                    dumped,
                    dump.sizeBytes(),
                    dump.sha256(),
                    new String(manifest.toJson(), StandardCharsets.UTF_8));
            try {
                // a plain dump was tested as it was written (Dumper); the others are read by pg_restore --list now
                if (!dump.tested()) new Archives(tools).test(def.format(), def.compression(), dump.file());
            } catch (BackupFailure e) {
                Cleanup.deleteQuietly(dump.file());
                throw e;
            }
            Backup current = store.get(backup.id());
            uploads.first(current, destinations(def), dump.file(), manifest.toJson());
            Backup after = store.get(backup.id());
            if (after.status().equals(Backup.VERIFIED)) {
                long now = clock.millis();
                metrics.succeeded(def.name(), now, dump.sizeBytes(), now - backup.startedMs());
                LOG.info(
                        "event=backup_verified target={} id={} file={} bytes={} sha256={} duration_ms={}",
                        def.name(),
                        backup.id(),
                        backup.fileName(),
                        dump.sizeBytes(),
                        dump.sha256(),
                        now - backup.startedMs());
                announce(def, after, "backup.succeeded");
            } else {
                metrics.failed(def.name());
                LOG.warn(
                        "event=backup_incomplete target={} id={} status={} error=\"{}\"",
                        def.name(),
                        backup.id(),
                        after.status(),
                        after.error());
                announce(def, after, "backup.failed");
            }
            if (after.restorable()) {
                try {
                    new Pruning(def, store, destinations(def), clock).apply(false);
                } catch (RuntimeException e) {
                    LOG.warn("event=backup_retention_failed target={} error=\"{}\"", def.name(), e.toString());
                }
            }
        }
    }

    /** A target name that is not configured. */
    public static final class UnknownTarget extends RuntimeException {
        UnknownTarget(String name, Set<String> known) {
            super("no backup target '" + name + "'"
                    + (known.isEmpty()
                            ? "; none is configured (backups: in the config)"
                            : "; configured: "
                                    + String.join(", ", known.stream().sorted().toList())));
        }
    }

    /** A backup id that does not exist. */
    public static final class UnknownBackup extends RuntimeException {
        UnknownBackup(long id) {
            super("no backup " + id);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    static void closeAll(List<Destination> destinations) {
        for (Destination d : destinations) {
            if (d instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing an HTTP client
                }
            }
        }
    }

    /**
     * Why an I/O operation failed, to follow the name of what it failed on ("cannot read X: no such file"). A file
     * system error's own message is its file name, with the reason only when the platform gave one (a missing file
     * gives none), so the reason is taken from it, or from its kind.
     */
    static String message(IOException e) {
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null && !f.getReason().isBlank()) return f.getReason();
            return switch (f) {
                case NoSuchFileException x -> "no such file";
                case AccessDeniedException x -> "permission denied";
                case NotDirectoryException x -> "not a directory";
                case DirectoryNotEmptyException x -> "directory not empty";
                case FileAlreadyExistsException x -> "already exists";
                case NotLinkException x -> "not a symbolic link";
                default -> f.getClass().getSimpleName();
            };
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
