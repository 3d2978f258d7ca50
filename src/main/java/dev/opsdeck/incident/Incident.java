package dev.opsdeck.incident;

import java.util.Locale;

/**
 * One incident as stored. Times are epoch milliseconds; null when it has not happened.
 *
 * @param groupKey     what its alerts share: {@code service:<root cause>} for rule alerts,
 *                     {@code <source>:<fingerprint>} for alerts from outside
 * @param service      the root-cause service (or the alert's service when there is no dependency graph)
 * @param policy       the escalation policy snapshot taken when it opened (null until policies exist)
 * @param paged        true once an alert that may page (not suppressed) joined it and people were told
 * @param notifySeq    the last sequence number used in a notification idempotency key
 * @param firstAckedMs the first acknowledgement (MTTA); {@code ackedMs} is the current one, cleared by
 *                     the ack timeout and by reopening
 */
public record Incident(
        long id,
        String groupKey,
        String title,
        State state,
        String severity,
        String service,
        String runbook,
        String policy,
        String assignee,
        boolean paged,
        int notifySeq,
        long openedMs,
        Long ackedMs,
        String ackedBy,
        Long firstAckedMs,
        Long resolvedMs,
        String resolvedBy,
        Long ackDueMs,
        Long resolveDueMs,
        boolean ackBreached,
        boolean resolveBreached,
        long updatedMs) {
    public enum State {
        TRIGGERED,
        ACKNOWLEDGED,
        RESOLVED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State parse(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    public boolean open() {
        return state != State.RESOLVED;
    }
}
