package dev.opsdeck.api;

import dev.opsdeck.incident.Incident;
import dev.opsdeck.incident.IncidentAlert;
import dev.opsdeck.incident.IncidentStats;
import dev.opsdeck.incident.Notice;
import dev.opsdeck.incident.TimelineEntry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Incidents as the API shows them: snake_case, times as ISO-8601. Notes and other text go out exactly as stored
 * (JSON is data; whatever renders them as HTML escapes them).
 */
final class IncidentViews {
    private IncidentViews() {}

    static Map<String, Object> incident(Incident i, List<String> impacted, long nowMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("title", i.title());
        m.put("state", i.state().label());
        m.put("severity", i.severity());
        m.put("service", i.service());
        m.put("root_cause", i.service());
        m.put("impacted", impacted);
        m.put("runbook", i.runbook());
        m.put("assignee", i.assignee());
        m.put("opened_at", time(i.openedMs()));
        m.put("acknowledged_at", time(i.ackedMs()));
        m.put("acknowledged_by", i.ackedBy());
        m.put("resolved_at", time(i.resolvedMs()));
        m.put("resolved_by", i.resolvedBy());
        m.put("sla", sla(i, nowMs));
        return m;
    }

    /**
     * The SLA clock: targets, whether they were missed, and the times taken (so far, while open). A resolved
     * incident nobody acknowledged has no time to acknowledge (null): its clock stopped at the resolution.
     */
    static Map<String, Object> sla(Incident i, long nowMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ack_due_at", time(i.ackDueMs()));
        m.put("ack_breached", i.ackBreached());
        Long ackEnd = i.firstAckedMs() != null ? i.firstAckedMs() : i.resolvedMs() == null ? (Long) nowMs : null;
        m.put("time_to_ack_seconds", ackEnd == null ? null : seconds(ackEnd, i.openedMs()));
        m.put("resolve_due_at", time(i.resolveDueMs()));
        m.put("resolve_breached", i.resolveBreached());
        m.put("time_to_resolve_seconds", seconds(i.resolvedMs() != null ? i.resolvedMs() : nowMs, i.openedMs()));
        return m;
    }

    static Map<String, Object> alert(IncidentAlert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", a.fingerprint());
        m.put("source", a.source());
        m.put("name", a.name());
        m.put("state", a.state());
        m.put("severity", a.severity());
        m.put("service", a.service());
        m.put("suppressed", a.suppressed());
        m.put("summary", a.summary());
        m.put("runbook", a.runbook());
        m.put("labels", a.labels());
        m.put("fired_at", time(a.firedMs()));
        m.put("resolved_at", time(a.resolvedMs()));
        return m;
    }

    static Map<String, Object> entry(TimelineEntry t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("at", time(t.atMs()));
        m.put("kind", t.kind());
        m.put("actor", t.actor());
        m.put("text", t.text());
        m.put("details", t.details());
        return m;
    }

    /** A notification with its delivery as the outbox reports it now (null until it is in the outbox). */
    static Map<String, Object> notice(Notice n, Map<String, Object> delivery) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("idempotency_key", n.idempotencyKey());
        m.put("channel", n.channel());
        m.put("template", n.template());
        m.put("outbox_id", n.outboxId());
        m.put("created_at", time(n.createdMs()));
        m.put("delivery", delivery);
        return m;
    }

    static Map<String, Object> figure(IncidentStats.Figure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("severity", f.severity());
        m.put("service", f.service());
        m.put("incidents", f.incidents());
        m.put("acknowledged", f.acknowledged());
        m.put("resolved", f.resolved());
        m.put("mtta_seconds", f.mttaSeconds());
        m.put("mttr_seconds", f.mttrSeconds());
        m.put("sla_breaches", f.slaBreaches());
        return m;
    }

    static String time(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms).toString();
    }

    private static long seconds(long to, long from) {
        return Math.max(0, (to - from) / 1000);
    }
}
