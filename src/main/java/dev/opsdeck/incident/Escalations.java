package dev.opsdeck.incident;

import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.oncall.EscalationPlan;
import dev.opsdeck.oncall.Page;
import dev.opsdeck.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs an incident's escalation policy: step by step with the step's wait in between, the whole list again
 * {@code repeat} times, stopped by an acknowledgement, resumed when the acknowledgement times out, restarted by a
 * reopen, ended by resolution. The policy is routed and snapshotted (with its rotations and contacts) when the
 * incident opens and starts when it first pages; the position (next step, pass, when) lives in {@code incident_escalation}, so the
 * housekeeping beat carries on after a restart, and its conditional update means a beat on another node could
 * never run the same step twice.
 */
final class Escalations {
    private record Row(long incidentId, String state, int step, int pass, Long nextMs) {}

    private final Paging paging;
    private final Supplier<OnCallConfig> oncall;
    private final IncidentMetrics metrics;

    Escalations(Paging paging, Supplier<OnCallConfig> oncall, IncidentMetrics metrics) {
        this.paging = paging;
        this.oncall = oncall;
        this.metrics = metrics;
    }

    /**
     * Routes a just-opened incident to a policy (by its severity, service and the opening alert's labels) and
     * stores the snapshot on it; nothing runs until {@link #start}. No policy applies: nothing is stored.
     */
    void snapshot(Connection c, Incident i, Map<String, String> labels, long now) throws SQLException {
        var policy = oncall.get().route(i.severity(), i.service(), labels);
        if (policy.isEmpty()) return;
        IncidentWrites.set(
                c,
                i.id(),
                now,
                Map.of("policy", EscalationPlan.of(policy.get(), oncall.get()).toJson()));
    }

    /**
     * The incident pages for the first time: its snapshot's first step runs now. Returns the channels that step
     * wrote to (none without a policy); so do the other changes below that page.
     */
    Set<String> start(Connection c, Incident i, long now) throws SQLException {
        if (i.policy() == null) return Set.of();
        EscalationPlan plan = EscalationPlan.fromJson(i.policy());
        Sql.update(
                c,
                "INSERT INTO incident_escalation (incident_id, state, step, pass, next_ms, updated_ms)"
                        + " VALUES (?, 'running', 0, 0, ?, ?)",
                i.id(),
                now,
                now);
        IncidentWrites.timeline(
                c,
                i.id(),
                now,
                "escalation",
                Transitions.SYSTEM,
                "escalation policy " + plan.policy() + ": " + plan.steps().size() + " step(s)"
                        + (plan.repeat() > 0 ? ", repeated " + plan.repeat() + " time(s)" : ""),
                Map.of("policy", plan.policy()));
        return runDue(c, i.id(), now);
    }

    /** Acknowledged: no further steps until the acknowledgement times out. */
    void pause(Connection c, long id, long now) throws SQLException {
        Sql.update(
                c,
                "UPDATE incident_escalation SET state = 'paused', updated_ms = ? WHERE incident_id = ?"
                        + " AND state IN ('running', 'done')",
                now,
                id);
    }

    /**
     * The acknowledgement timed out: everyone a step paged so far hears it ({@code incident.triggered} with
     * {@code reason: ack_timeout}, key {@code incident-<id>-ack_timeout-<seq>-...}), then the next step runs
     * now. When every step had run already, the last step pages again (whoever is on call for it now).
     */
    Set<String> resume(Connection c, Incident i, String why, long now) throws SQLException {
        Row r = row(c, i.id());
        if (r == null || r.state().equals("stopped")) return Set.of();
        List<Page> told = new ArrayList<>();
        for (Page p : pagedSoFar(c, i.id())) {
            Map<String, Object> fields = new LinkedHashMap<>(p.fields());
            fields.put("reason", "ack_timeout");
            told.add(new Page(p.channel(), p.contact(), fields));
        }
        Set<String> channels = new HashSet<>(
                paging.page(c, i.id(), "ack_timeout", "incident.triggered", Transitions.SYSTEM, why, null, told));
        if (r.nextMs() == null) { // done: back to the last step of the last pass
            EscalationPlan plan = EscalationPlan.fromJson(i.policy());
            Sql.update(
                    c,
                    "UPDATE incident_escalation SET step = ? WHERE incident_id = ?",
                    plan.steps().size() - 1,
                    i.id());
        }
        Sql.update(
                c,
                "UPDATE incident_escalation SET state = 'running', next_ms = ?, updated_ms = ? WHERE incident_id = ?",
                now,
                now,
                i.id());
        channels.addAll(runDue(c, i.id(), now));
        return channels;
    }

    /** Reopened: the same snapshot from its first step. */
    Set<String> restart(Connection c, long id, long now) throws SQLException {
        if (Sql.update(
                        c,
                        "UPDATE incident_escalation SET state = 'running', step = 0, pass = 0, next_ms = ?,"
                                + " updated_ms = ? WHERE incident_id = ?",
                        now,
                        now,
                        id)
                == 1) {
            return runDue(c, id, now);
        }
        return Set.of();
    }

    /** Resolved: no more steps, and everyone a step paged hears it is over, through the same channels. */
    Set<String> stop(Connection c, long id, String actor, String summary, long now) throws SQLException {
        if (Sql.update(
                        c,
                        "UPDATE incident_escalation SET state = 'stopped', next_ms = NULL, updated_ms = ? WHERE incident_id = ?",
                        now,
                        id)
                == 0) {
            return Set.of();
        }
        return paging.page(c, id, "resolved", "incident.resolved", actor, summary, null, pagedSoFar(c, id));
    }

    /** Everyone the incident's escalation steps paged: one page per channel and person, however often paged. */
    static List<Page> pagedSoFar(Connection c, long id) throws SQLException {
        Map<String, Page> paged = new LinkedHashMap<>();
        for (Notice n : IncidentReads.notices(
                c, "incident_id = ? AND idempotency_key LIKE ?", id, "incident-" + id + "-escalated-%")) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (String f : List.of("paged", "contact", "contact_email", "contact_slack", "contact_phone")) {
                if (n.fields().get(f) != null) fields.put(f, n.fields().get(f));
            }
            // the key is incident-<id>-escalated-<seq>-<channel>[-<contact>]
            String rest = n.idempotencyKey().replaceFirst("^incident-\\d+-escalated-\\d+-", "");
            String contact =
                    rest.startsWith(n.channel()) ? rest.substring(n.channel().length()) : "";
            paged.putIfAbsent(
                    n.channel() + contact,
                    new Page(n.channel(), contact.isEmpty() ? null : contact.substring(1), fields));
        }
        return List.copyOf(paged.values());
    }

    /** The beat: every running escalation whose next step is due. */
    void tick(Connection c, long now) throws SQLException {
        List<Long> due = Sql.query(
                c,
                "SELECT incident_id FROM incident_escalation WHERE state = 'running'"
                        + " AND next_ms <= ? ORDER BY next_ms",
                rs -> rs.getLong(1),
                now);
        for (long id : due) runDue(c, id, now);
    }

    /** Where an incident's escalation stands, for its page and the API; empty without a policy. */
    static Map<String, Object> view(Connection c, Incident i) throws SQLException {
        Row r = row(c, i.id());
        if (r == null || i.policy() == null) return null;
        EscalationPlan plan = EscalationPlan.fromJson(i.policy());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", plan.policy());
        m.put("state", r.state());
        m.put("next_step", r.step() + 1);
        m.put("pass", r.pass() + 1);
        m.put("passes", plan.repeat() + 1);
        m.put(
                "next_at",
                r.nextMs() == null || !r.state().equals("running")
                        ? null
                        : Instant.ofEpochMilli(r.nextMs()).toString());
        m.put("steps", plan.steps().size());
        return m;
    }

    /** Runs the incident's next step if it is due, and sets the one after; returns the channels it paged. */
    private Set<String> runDue(Connection c, long id, long now) throws SQLException {
        Row r = row(c, id);
        Incident i = IncidentReads.find(c, id).orElseThrow();
        if (r == null || !r.state().equals("running") || r.nextMs() == null || r.nextMs() > now) return Set.of();
        if (i.state() != Incident.State.TRIGGERED) return Set.of();
        EscalationPlan plan = EscalationPlan.fromJson(i.policy());
        int step = Math.min(r.step(), plan.steps().size() - 1);
        int nextStep = step + 1, nextPass = r.pass();
        String state = "running";
        Long nextMs = now + plan.steps().get(step).waitFor().toMillis();
        if (nextStep == plan.steps().size()) {
            nextStep = 0;
            nextPass++;
            if (nextPass > plan.repeat()) {
                state = "done";
                nextStep = step;
                nextPass = r.pass();
                nextMs = null;
            }
        }
        // conditional on what was read: another beat that ran this step first makes this one a no-op
        if (Sql.update(
                        c,
                        "UPDATE incident_escalation SET state = ?, step = ?, pass = ?, next_ms = ?, updated_ms = ?"
                                + " WHERE incident_id = ? AND step = ? AND pass = ? AND next_ms = ?",
                        state,
                        nextStep,
                        nextPass,
                        nextMs,
                        now,
                        id,
                        r.step(),
                        r.pass(),
                        r.nextMs())
                != 1) {
            return Set.of();
        }
        EscalationPlan.Resolved who = plan.resolve(step, Instant.ofEpochMilli(now));
        boolean first = step == 0 && r.pass() == 0;
        String label =
                "step " + (step + 1) + (r.pass() > 0 ? " (repeat " + r.pass() + " of " + plan.repeat() + ")" : "");
        List<String> parts = new ArrayList<>();
        if (!who.paged().isEmpty()) parts.add("paged " + String.join(", ", who.paged()));
        parts.addAll(who.nobody());
        String text = (first ? label : "escalated to " + label) + ": " + String.join("; ", parts);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("policy", plan.policy());
        details.put("step", step + 1);
        details.put("pass", r.pass() + 1);
        details.put("paged", who.paged());
        if (!who.nobody().isEmpty()) details.put("nobody", who.nobody());
        IncidentWrites.timeline(c, id, now, "escalated", Transitions.SYSTEM, text, details);
        metrics.escalated(plan.policy(), step + 1);
        return paging.page(
                c,
                id,
                first ? "incident.triggered" : "incident.escalated",
                Transitions.SYSTEM,
                i.title(),
                String.valueOf(step + 1),
                who.pages());
    }

    private static Row row(Connection c, long id) throws SQLException {
        List<Row> rows = Sql.query(
                c,
                "SELECT incident_id, state, step, pass, next_ms FROM incident_escalation" + " WHERE incident_id = ?",
                rs -> new Row(
                        rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4), Sql.nullableLong(rs, "next_ms")),
                id);
        return rows.isEmpty() ? null : rows.getFirst();
    }
}
