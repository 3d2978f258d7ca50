package dev.opsdeck.backup;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One restore drill run as stored. {@code status}: {@code running}, {@code passed} (restored, every check held and
 * the scratch removed) or {@code failed} ({@code error} says why when it was not a check). {@code restoreMs} is the
 * measured restore time (the real RTO); {@code rpoMs} the restored backup's age when the restore began.
 */
public record DrillResult(
        long id,
        String drill,
        String target,
        String actor,
        String status,
        long startedMs,
        Long finishedMs,
        Long backupId,
        String backupFile,
        String scratch,
        Long restoreMs,
        Long rpoMs,
        String error,
        List<Check> checks) {
    public static final String RUNNING = "running", PASSED = "passed", FAILED = "failed";

    /** One expectation: {@code min_tables}, {@code tables.<t>.min_rows}, {@code tables.<t>.within_percent_of_source}, {@code assertions.<a>}. */
    public record Check(String name, boolean passed, String detail) {
        Map<String, Object> view() {
            return Map.of("name", name, "passed", passed, "detail", detail);
        }
    }

    /** This run with its checks, which the store reads after the run rows. */
    DrillResult withChecks(List<Check> checks) {
        return new DrillResult(
                id,
                drill,
                target,
                actor,
                status,
                startedMs,
                finishedMs,
                backupId,
                backupFile,
                scratch,
                restoreMs,
                rpoMs,
                error,
                checks);
    }

    public boolean passed() {
        return status.equals(PASSED);
    }

    /** The checks that did not hold. */
    public List<Check> failedChecks() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    /** The API's and CLI's view: times as ISO-8601, durations in milliseconds. */
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("drill", drill);
        m.put("target", target);
        m.put("status", status);
        m.put("actor", actor);
        m.put("started_at", Instant.ofEpochMilli(startedMs).toString());
        if (finishedMs != null) {
            m.put("finished_at", Instant.ofEpochMilli(finishedMs).toString());
            m.put("duration_ms", finishedMs - startedMs);
        }
        if (backupId != null) m.put("backup_id", backupId);
        if (backupFile != null) m.put("backup_file", backupFile);
        if (scratch != null) m.put("scratch", scratch);
        if (restoreMs != null) m.put("restore_ms", restoreMs);
        if (rpoMs != null) m.put("rpo_ms", rpoMs);
        if (error != null) m.put("error", error);
        m.put("checks", checks.stream().map(Check::view).toList());
        return m;
    }
}
