package dev.opsdeck.incident;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.config.IncidentsConfig;
import dev.opsdeck.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns alert events into incidents: one outage, one incident. Rule alerts group by their root-cause service, so
 * ten dependents failing because their database is down join the database's incident as impacted services
 * (suppressed: recorded, never paging); alerts from outside group by their fingerprint or dedup key. A repeated
 * firing event of an alert already firing changes nothing (deduplication).
 */
final class Grouping {
    private final Transitions transitions;
    private final Paging paging;
    private final Supplier<IncidentsConfig> config;
    private final Escalations escalations;

    Grouping(Transitions transitions, Paging paging, Supplier<IncidentsConfig> config, Escalations escalations) {
        this.transitions = transitions;
        this.paging = paging;
        this.config = config;
        this.escalations = escalations;
    }

    static String groupKey(AlertEvent e) {
        if ("rule".equals(e.source())) {
            String root = e.rootCause() != null ? e.rootCause() : e.service();
            if (root != null) return "service:" + root;
        }
        return e.source() + ":" + e.fingerprint();
    }

    /** Applies one event; returns the incident it touched, if any. {@code actor} names who sent it (for acks). */
    Optional<Long> apply(Connection c, AlertEvent e, String actor, long now) throws SQLException {
        return switch (e.state()) {
            case FIRING -> Optional.of(fire(c, e, now));
            case RESOLVED -> resolve(c, e, now);
            case ACKNOWLEDGED -> {
                Optional<Incident> i = IncidentReads.openByFingerprint(c, e.fingerprint());
                if (i.isPresent() && i.get().state() == Incident.State.TRIGGERED) {
                    transitions.acknowledge(c, i.get(), actor, now);
                }
                yield i.map(Incident::id);
            }
        };
    }

    private long fire(Connection c, AlertEvent e, long now) throws SQLException {
        Optional<Incident> found = IncidentReads.openByFingerprint(c, e.fingerprint());
        if (found.isEmpty()) found = IncidentReads.openByGroup(c, groupKey(e));
        Incident i = found.isPresent() ? found.get() : open(c, e, now);
        Optional<IncidentAlert> existing = IncidentReads.alerts(c, i.id()).stream()
                .filter(a -> a.fingerprint().equals(e.fingerprint()))
                .findFirst();
        long firedMs = e.at() == null ? now : e.at().toEpochMilli();
        if (existing.isPresent() && existing.get().state().equals("firing")) {
            if (existing.get().suppressed() && !e.suppressed()) return release(c, i, e, now);
            return i.id(); // the same alert again: deduplicated
        }
        if (existing.isPresent()) {
            IncidentWrites.refireAlert(c, i.id(), e.fingerprint(), firedMs);
        } else {
            IncidentWrites.insertAlert(c, i.id(), e, firedMs);
        }
        IncidentWrites.timeline(c, i.id(), now, "alert_fired", e.source(), firedText(e), details(e));
        boolean joined = false;
        for (String service : impacted(e)) joined |= IncidentWrites.impact(c, i.id(), service);
        // the page went out before these dependents failed: whoever it told hears which services it now impacts
        if (joined && i.paged() && i.open()) paging.impacted(c, i.id(), Escalations.pagedSoFar(c, i.id()));
        if (severityRank(e.severity().name()) < severityRank(i.severity())) {
            String s = e.severity().name();
            IncidentWrites.set(c, i.id(), now, Map.of("severity", s));
            IncidentWrites.timeline(
                    c,
                    i.id(),
                    now,
                    "severity",
                    e.source(),
                    i.severity() + " → " + s,
                    Map.of("from", i.severity(), "to", s));
            var due = new LinkedHashMap<String, Object>();
            due.put("ack_due_ms", SlaClock.ackDue(config.get(), s, i.openedMs()));
            due.put("resolve_due_ms", SlaClock.resolveDue(config.get(), s, i.openedMs()));
            IncidentWrites.set(c, i.id(), now, due);
        }
        if (!e.suppressed() && !i.paged()) firstPage(c, i, e, now);
        return i.id();
    }

    /**
     * An alert that fired held back by a silence or a maintenance window, still firing now that nothing holds it (the
     * engine tells it again, not suppressed, once): it may page from now on, and its incident pages now unless it
     * has paged already or someone has acknowledged it.
     */
    private long release(Connection c, Incident i, AlertEvent e, long now) throws SQLException {
        Sql.update(
                c,
                "UPDATE incident_alert SET suppressed = 0 WHERE incident_id = ? AND fingerprint = ?",
                i.id(),
                e.fingerprint());
        String heldBy = null;
        for (TimelineEntry t : IncidentReads.timeline(c, i.id())) {
            if (t.kind().equals("alert_fired")
                    && t.details() != null
                    && e.fingerprint().equals(t.details().get("fingerprint"))
                    && t.details().get("suppressed_by") != null) {
                heldBy = String.valueOf(t.details().get("suppressed_by"));
            }
        }
        boolean pages = !i.paged() && i.state() == Incident.State.TRIGGERED;
        String why = heldBy == null ? "no longer held" : "no longer " + heldBy;
        if (!pages)
            why += i.paged()
                    ? "; the incident has paged already"
                    : "; the incident is " + i.state().label();
        Map<String, Object> details = details(e);
        if (heldBy != null) details.put("held_by", heldBy);
        IncidentWrites.timeline(
                c, i.id(), now, "alert_released", e.source(), text(e) + " (still firing, " + why + ")", details);
        if (pages) firstPage(c, i, e, now);
        return i.id();
    }

    /** The first alert allowed to page: the incident takes its title and runbook, and people are told. */
    private void firstPage(Connection c, Incident i, AlertEvent e, long now) throws SQLException {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("paged", true);
        set.put("title", IncidentWrites.cut(title(e), 1000));
        if (e.runbook() != null) set.put("runbook", IncidentWrites.cut(e.runbook(), 1000));
        IncidentWrites.set(c, i.id(), now, set);
        // the policy snapshotted when the incident opened starts now: the first moment anyone is paged; a
        // channel its first step pages is not told a second time as one of incidents.notify
        Set<String> paged = escalations.start(c, IncidentReads.find(c, i.id()).orElseThrow(), now);
        paging.ask(c, i.id(), "triggered", e.source(), e.summary(), paged);
    }

    private Incident open(Connection c, AlertEvent e, long now) throws SQLException {
        String severity = e.severity().name();
        String service = e.rootCause() != null ? e.rootCause() : e.service();
        long id = IncidentWrites.insertIncident(
                c,
                groupKey(e),
                title(e),
                severity,
                service,
                e.runbook(),
                now,
                SlaClock.ackDue(config.get(), severity, now),
                SlaClock.resolveDue(config.get(), severity, now));
        IncidentWrites.timeline(c, id, now, "state", e.source(), "triggered", Map.of("to", "triggered"));
        // routed and snapshotted at open, also when this first alert is suppressed: a reload before the first
        // page does not change who this incident pages
        escalations.snapshot(
                c, IncidentReads.find(c, id).orElseThrow(), e.labels() == null ? Map.of() : e.labels(), now);
        return IncidentReads.find(c, id).orElseThrow();
    }

    private Optional<Long> resolve(Connection c, AlertEvent e, long now) throws SQLException {
        Optional<Incident> found = IncidentReads.openByFingerprint(c, e.fingerprint());
        if (found.isEmpty()) return Optional.empty(); // never fired here, or its incident was resolved by a person
        Incident i = found.get();
        List<IncidentAlert> alerts = IncidentReads.alerts(c, i.id());
        boolean firing = alerts.stream()
                .anyMatch(a ->
                        a.fingerprint().equals(e.fingerprint()) && a.state().equals("firing"));
        if (!firing) return Optional.of(i.id()); // resolved twice: deduplicated
        IncidentWrites.resolveAlert(c, i.id(), e.fingerprint(), e.at() == null ? now : e.at().toEpochMilli());
        IncidentWrites.timeline(c, i.id(), now, "alert_resolved", e.source(), text(e), details(e));
        boolean othersFiring = alerts.stream()
                .anyMatch(a ->
                        !a.fingerprint().equals(e.fingerprint()) && a.state().equals("firing"));
        if (!othersFiring) {
            transitions.resolve(
                    c, IncidentReads.find(c, i.id()).orElseThrow(), Transitions.SYSTEM, now, "all alerts resolved");
        }
        return Optional.of(i.id());
    }

    private static Set<String> impacted(AlertEvent e) {
        String root = e.rootCause() != null ? e.rootCause() : e.service();
        Set<String> out = new LinkedHashSet<>();
        if (e.impacted() != null) out.addAll(e.impacted());
        if (e.service() != null) out.add(e.service());
        out.remove(root);
        out.remove(null);
        return out;
    }

    static int severityRank(String severity) {
        return severity.charAt(1) - '0';
    }

    private static String title(AlertEvent e) {
        String base = e.summary() != null && !e.summary().isBlank() ? e.summary() : e.name();
        return base == null || base.isBlank() ? e.fingerprint() : base;
    }

    private static String text(AlertEvent e) {
        return e.name() + (e.summary() == null || e.summary().isBlank() ? "" : ": " + e.summary());
    }

    /** A firing alert's entry says why it does not page, when it does not: "(not paged: silenced by silence #3)". */
    private static String firedText(AlertEvent e) {
        return text(e) + (e.suppressed() && e.suppressedBy() != null ? " (not paged: " + e.suppressedBy() + ")" : "");
    }

    private static Map<String, Object> details(AlertEvent e) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("fingerprint", e.fingerprint());
        d.put("severity", e.severity().name());
        if (e.service() != null) d.put("service", e.service());
        d.put("suppressed", e.suppressed());
        if (e.suppressedBy() != null) d.put("suppressed_by", e.suppressedBy());
        if (e.at() != null) d.put("at", e.at().toString());
        return d;
    }
}
