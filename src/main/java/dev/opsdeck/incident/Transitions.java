package dev.opsdeck.incident;

import dev.opsdeck.config.IncidentsConfig;
import dev.opsdeck.oncall.EscalationPlan;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The state machine: triggered → acknowledged → resolved, reopen back to triggered, and the ack timeout from
 * acknowledged back to triggered. Each change is a timeline entry with its actor, and a notice to the channels; the escalation policy
 * stops on acknowledgement and resolution, resumes after an ack timeout and restarts on reopen.
 */
final class Transitions {
    /** The actor of changes nobody asked for: auto-resolve, ack timeout, SLA breach. */
    static final String SYSTEM = "opsdeck";

    private final Paging paging;
    private final Supplier<IncidentsConfig> config;
    private final Escalations escalations;
    private final IncidentMetrics metrics;

    Transitions(Paging paging, Supplier<IncidentsConfig> config, Escalations escalations, IncidentMetrics metrics) {
        this.paging = paging;
        this.config = config;
        this.escalations = escalations;
        this.metrics = metrics;
    }

    void acknowledge(Connection c, Incident i, String actor, long now) throws SQLException {
        if (i.state() != Incident.State.TRIGGERED) {
            throw new IncidentConflict("incident " + i.id() + " is " + i.state().label() + "; only a triggered incident"
                    + " can be acknowledged");
        }
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("state", "acknowledged");
        set.put("acked_ms", now);
        set.put("acked_by", actor);
        if (i.firstAckedMs() == null) set.put("first_acked_ms", now);
        IncidentWrites.set(c, i.id(), now, set);
        state(c, i, Incident.State.ACKNOWLEDGED, actor, now, null);
        paging.ask(c, i.id(), "acknowledged", actor, "acknowledged by " + actor);
        escalations.pause(c, i.id(), now); // stop on acknowledgement
        // acknowledged after the target, before a tick noticed: still a breach
        if (i.firstAckedMs() == null && !i.ackBreached() && i.ackDueMs() != null && now > i.ackDueMs()) {
            breach(c, i, "ack", now);
        }
    }

    void resolve(Connection c, Incident i, String actor, long now, String reason) throws SQLException {
        if (!i.open()) throw new IncidentConflict("incident " + i.id() + " is already resolved");
        IncidentWrites.set(c, i.id(), now, Map.of("state", "resolved", "resolved_ms", now, "resolved_by", actor));
        state(c, i, Incident.State.RESOLVED, actor, now, reason);
        // told always, also when every alert was suppressed when it fired
        String summary = reason == null ? "resolved by " + actor : reason;
        paging.ask(c, i.id(), "resolved", actor, summary, escalations.stop(c, i.id(), actor, summary, now));
        if (!i.resolveBreached() && i.resolveDueMs() != null && now > i.resolveDueMs()) breach(c, i, "resolve", now);
    }

    void reopen(Connection c, Incident i, String actor, long now) throws SQLException {
        if (i.open())
            throw new IncidentConflict("incident " + i.id() + " is " + i.state().label() + ", not resolved");
        var other = IncidentReads.openByGroup(c, i.groupKey());
        if (other.isPresent()) {
            throw new IncidentConflict(
                    "incident " + other.get().id() + " is open for the same alerts; work on that one");
        }
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("state", "triggered");
        set.put("resolved_ms", null);
        set.put("resolved_by", null);
        set.put("acked_ms", null);
        set.put("acked_by", null);
        IncidentWrites.set(c, i.id(), now, set);
        state(c, i, Incident.State.TRIGGERED, actor, now, "reopened");
        paging.ask(c, i.id(), "triggered", actor, "reopened by " + actor, escalations.restart(c, i.id(), now));
    }

    /**
     * Acknowledged but not resolved within {@code incidents.ack_timeout}: back to triggered, and people are told
     * again: {@code incidents.notify}, everyone the escalation paged so far (so whoever acknowledged knows it is
     * theirs again), then the escalation's next step.
     */
    void ackTimeout(Connection c, Incident i, long now) throws SQLException {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("state", "triggered");
        set.put("acked_ms", null);
        set.put("acked_by", null);
        IncidentWrites.set(c, i.id(), now, set);
        String why = "acknowledged by " + i.ackedBy() + " but not resolved within "
                + config.get().ackTimeout();
        state(c, i, Incident.State.TRIGGERED, SYSTEM, now, why);
        Incident back = IncidentReads.find(c, i.id()).orElseThrow();
        metrics.ackTimedOut(
                back.policy() == null
                        ? null
                        : EscalationPlan.fromJson(back.policy()).policy());
        paging.ask(c, i.id(), "triggered", SYSTEM, why, escalations.resume(c, back, why, now));
    }

    /** Flags a missed target ({@code ack} or {@code resolve}) once, on the timeline and to the channels. */
    void breach(Connection c, Incident i, String target, long now) throws SQLException {
        IncidentWrites.set(c, i.id(), now, Map.of(target + "_breached", true));
        long due = target.equals("ack") ? i.ackDueMs() : i.resolveDueMs();
        String text = (target.equals("ack") ? "not acknowledged" : "not resolved") + " by its " + i.severity()
                + " target (" + Instant.ofEpochMilli(due) + ")";
        IncidentWrites.timeline(c, i.id(), now, "sla_breached", SYSTEM, text, Map.of("target", target, "due_ms", due));
        // the headline names the target: "breached its acknowledgement SLA"
        paging.ask(
                c,
                i.id(),
                "sla_breached",
                SYSTEM,
                text,
                Set.of(),
                Map.of("sla", target.equals("ack") ? "acknowledgement" : "resolution"));
    }

    static void state(Connection c, Incident i, Incident.State to, String actor, long now, String reason)
            throws SQLException {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from", i.state().label());
        details.put("to", to.label());
        IncidentWrites.timeline(
                c, i.id(), now, "state", actor, reason == null ? to.label() : to.label() + ": " + reason, details);
    }
}
