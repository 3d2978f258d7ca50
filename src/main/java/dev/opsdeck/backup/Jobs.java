package dev.opsdeck.backup;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Long work started over HTTP (verify, restore) runs here, so a request answers at once and the CLI polls for
 * progress. Jobs live in memory for an hour after they end: their outcome is also in the audit log and, for a
 * verification, in the backup's record.
 */
public final class Jobs implements AutoCloseable {
    private static final long KEEP_MS = 3_600_000;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("opsdeck-backup-job-", 1).daemon().factory());
    private final Clock clock;

    public Jobs(Clock clock) {
        this.clock = clock;
    }

    /** One job; {@code status}: running, succeeded, failed. */
    public static final class Job {
        final String id, kind;
        final long backupId, startedMs;
        final AtomicLong bytes = new AtomicLong();
        volatile String status = "running", error;
        volatile Long finishedMs;
        volatile Map<String, Object> result = Map.of();

        Job(String id, String kind, long backupId, long startedMs) {
            this.id = id;
            this.kind = kind;
            this.backupId = backupId;
            this.startedMs = startedMs;
        }

        public String id() {
            return id;
        }

        public String status() {
            return status;
        }

        public Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("kind", kind);
            m.put("backup_id", backupId);
            m.put("status", status);
            m.put("bytes", bytes.get());
            m.put("started_at", Instant.ofEpochMilli(startedMs).toString());
            if (finishedMs != null)
                m.put("finished_at", Instant.ofEpochMilli(finishedMs).toString());
            if (error != null) m.put("error", error);
            m.put("result", result);
            return m;
        }
    }

    /** Runs {@code work} (given the job's byte counter) on its own thread; {@code onEnd} sees the finished job. */
    public Job submit(String kind, long backupId, Function<AtomicLong, Map<String, Object>> work, Consumer<Job> onEnd) {
        long now = clock.millis();
        jobs.values().removeIf(j -> j.finishedMs != null && now - j.finishedMs > KEEP_MS);
        Job job = new Job(UUID.randomUUID().toString(), kind, backupId, now);
        jobs.put(job.id, job);
        workers.execute(() -> {
            try {
                job.result = work.apply(job.bytes);
                job.status = "succeeded";
            } catch (RuntimeException e) {
                job.error = e instanceof BackupFailure f
                        ? f.describe()
                        : e.getMessage() == null ? e.toString() : e.getMessage();
                job.status = "failed";
            } finally {
                job.finishedMs = clock.millis();
                onEnd.accept(job);
            }
        });
        return job;
    }

    public Job get(String id) {
        return jobs.get(id);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
