package dev.opsdeck.monitor;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Status;
import dev.opsdeck.store.StoredState;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * The state machine of one check. A raw DOWN result only turns the check DOWN after
 * {@code failure_threshold} in a row; it comes back after {@code success_threshold} good results.
 * Too many state changes within the flapping window set the flapping flag.
 */
final class CheckState {
    private final int failureThreshold;
    private final int successThreshold;
    private final long flapWindowMs;
    private final int flapChanges;
    /** Times of recent state changes; made on the first change, since most checks never change state. */
    private Deque<Long> changes;

    private Status status = Status.UNKNOWN;
    private long sinceMs;
    private int failures;
    private int successes;
    private boolean flapping;
    private CheckResult last;

    CheckState(int failureThreshold, int successThreshold, long flapWindowMs, int flapChanges, long nowMs) {
        this.failureThreshold = failureThreshold;
        this.successThreshold = successThreshold;
        this.flapWindowMs = flapWindowMs;
        this.flapChanges = flapChanges;
        this.sinceMs = nowMs;
    }

    /** Resumes from the store after a restart. */
    void restore(StoredState s) {
        status = s.status();
        sinceMs = s.sinceMs();
        failures = s.failures();
        successes = s.successes();
        flapping = s.flapping();
        if (s.lastMessage() != null) {
            // show the last verdict until the first new result arrives
            last = new CheckResult(
                    s.status(), Instant.ofEpochMilli(s.lastAtMs()), s.lastLatencyMs(), s.lastMessage(), Map.of());
        }
    }

    /** Applies a result; returns the previous status when the state changed, else null. */
    synchronized Status apply(CheckResult r) {
        long now = r.at().toEpochMilli();
        last = r;
        Status before = status;
        if (r.status() == Status.DOWN) {
            failures++;
            successes = 0;
            if (failures >= failureThreshold || status == Status.UNKNOWN && failures >= failureThreshold) {
                status = Status.DOWN;
            }
        } else {
            successes++;
            failures = 0;
            boolean recovering = status == Status.DOWN;
            if (!recovering || successes >= successThreshold) {
                status = r.status();
            }
        }
        if (status != before) {
            sinceMs = now;
            if (before != Status.UNKNOWN) {
                if (changes == null) changes = new ArrayDeque<>(4);
                changes.addLast(now);
            }
        }
        if (changes != null) {
            while (!changes.isEmpty() && changes.peekFirst() < now - flapWindowMs) {
                changes.pollFirst();
            }
            flapping = changes.size() >= flapChanges;
        }
        return status != before ? before : null;
    }

    /** The status alone, for lists of every service: no snapshot to allocate. */
    synchronized Status status() {
        return status;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(status, sinceMs, failures, successes, flapping, last);
    }

    synchronized StoredState stored(String checkId, String definitionHash) {
        return new StoredState(
                checkId,
                status,
                sinceMs,
                failures,
                successes,
                flapping,
                last == null ? sinceMs : last.at().toEpochMilli(),
                last == null ? 0 : (int) last.latencyMillis(),
                last == null ? null : last.message(),
                definitionHash);
    }

    /** An immutable view for readers. */
    record Snapshot(Status status, long sinceMs, int failures, int successes, boolean flapping, CheckResult last) {}
}
