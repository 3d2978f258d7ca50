package dev.opsdeck.backup;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One backup attempt as stored. {@code status}: {@code running}; {@code verified} (every copy re-read and matched,
 * the archive tested: the only successful state); {@code incomplete} (verified where it is, an upload still
 * pending); {@code failed}; {@code expired} (every copy removed by retention).
 */
public record Backup(
        long id,
        String target,
        String fileName,
        String status,
        long startedMs,
        Long finishedMs,
        Long verifiedMs,
        Long sizeBytes,
        String sha256,
        String manifest,
        String error,
        List<Copy> copies) {
    public static final String RUNNING = "running",
            VERIFIED = "verified",
            INCOMPLETE = "incomplete",
            FAILED = "failed",
            EXPIRED = "expired";

    /** A copy of the file in one destination. {@code status}: pending, verified, failed, deleted. */
    public record Copy(
            String destination,
            String location,
            String status,
            int attempts,
            Long nextAttemptMs,
            Long verifiedMs,
            String error) {
        public static final String PENDING = "pending", DELETED = "deleted";

        Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("destination", destination);
            m.put("location", location);
            m.put("status", status);
            m.put("attempts", attempts);
            if (nextAttemptMs != null)
                m.put("next_attempt_at", Instant.ofEpochMilli(nextAttemptMs).toString());
            if (verifiedMs != null)
                m.put("verified_at", Instant.ofEpochMilli(verifiedMs).toString());
            if (error != null) m.put("error", error);
            return m;
        }
    }

    /** This backup with its copies, which the store reads after the backup rows. */
    Backup withCopies(List<Copy> copies) {
        return new Backup(
                id,
                target,
                fileName,
                status,
                startedMs,
                finishedMs,
                verifiedMs,
                sizeBytes,
                sha256,
                manifest,
                error,
                copies);
    }

    /** Usable for a restore: verified, or verified where it is while an upload waits. */
    public boolean restorable() {
        return status.equals(VERIFIED) || status.equals(INCOMPLETE);
    }

    public Copy copy(String destination) {
        return copies.stream()
                .filter(c -> c.destination().equals(destination))
                .findFirst()
                .orElse(null);
    }

    /** The API's and CLI's view: times as ISO-8601, the age in seconds at {@code nowMs}. */
    public Map<String, Object> view(long nowMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("target", target);
        m.put("file", fileName);
        m.put("status", status);
        m.put("started_at", Instant.ofEpochMilli(startedMs).toString());
        if (finishedMs != null) {
            m.put("finished_at", Instant.ofEpochMilli(finishedMs).toString());
            m.put("duration_ms", finishedMs - startedMs);
        }
        m.put("age_seconds", Math.max(0, (nowMs - startedMs) / 1000));
        if (verifiedMs != null)
            m.put("verified_at", Instant.ofEpochMilli(verifiedMs).toString());
        if (sizeBytes != null) m.put("size_bytes", sizeBytes);
        if (sha256 != null) m.put("sha256", sha256);
        if (error != null) m.put("error", error);
        m.put("copies", copies.stream().map(Copy::view).toList());
        return m;
    }
}
