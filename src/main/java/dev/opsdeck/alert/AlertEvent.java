package dev.opsdeck.alert;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One alert changing state, whatever raised it: an Opsdeck rule, Prometheus Alertmanager, or the
 * generic events API. Incidents are built from these.
 *
 * @param fingerprint stable identity of the alert (same rule and labels: same fingerprint); dedup key
 * @param source      {@code rule}, {@code alertmanager} or {@code events}
 * @param name        the rule or alert name, e.g. {@code IndexerDown}
 * @param state       {@code FIRING} or {@code RESOLVED} ({@code ACKNOWLEDGED} only from the events API)
 * @param severity    {@code P1}..{@code P4}
 * @param service     the service it is about, or null when unknown (external alerts)
 * @param rootCause   the service at the root of the outage along {@code depends_on}; equals
 *                    {@code service} when it is itself the cause; null when unknown
 * @param impacted    services down because of this root cause (dependency-aware paging attaches them)
 * @param suppressed  true when this alert must not page on its own (its root cause pages), but is still recorded
 * @param runbook     runbook id or URL, or null
 * @param at          when the state changed (startsAt for FIRING, endsAt for RESOLVED)
 * @param suppressedBy why a suppressed alert does not page, for the incident timeline ("silenced by silence #3",
 *                    "held by maintenance window db-upgrade", "impacted by db, the root cause"); null otherwise
 */
public record AlertEvent(
        String fingerprint,
        String source,
        String name,
        State state,
        Severity severity,
        String service,
        String rootCause,
        List<String> impacted,
        boolean suppressed,
        Map<String, String> labels,
        String summary,
        String description,
        String runbook,
        Instant at,
        String suppressedBy) {
    public enum State {
        FIRING,
        ACKNOWLEDGED,
        RESOLVED
    }

    public enum Severity {
        P1,
        P2,
        P3,
        P4
    }

    /** The same event dated {@code when}: an alert listed while it fires carries the time it began. */
    public AlertEvent at(Instant when) {
        return new AlertEvent(
                fingerprint,
                source,
                name,
                state,
                severity,
                service,
                rootCause,
                impacted,
                suppressed,
                labels,
                summary,
                description,
                runbook,
                when,
                suppressedBy);
    }
}
