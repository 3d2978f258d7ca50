package dev.opsdeck.web;

import dev.opsdeck.incident.Incident;
import dev.opsdeck.incident.IncidentAlert;
import dev.opsdeck.incident.IncidentStats;
import dev.opsdeck.incident.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the incident pages show: rows of the list, and one incident with its alerts and timeline. */
public final class IncidentModels {
    private IncidentModels() {}

    /**
     * One incident as a row or page header. {@code sla} is the running target in words ("ack due in 12 min",
     * "ack breached"); {@code slaBreached} colours it, so the word carries the meaning and colour only repeats it.
     */
    public record Summary(
            long id,
            String title,
            String state,
            String severity,
            String service,
            String age,
            String sla,
            boolean slaBreached,
            List<String> impacted,
            String runbook) {
        /** The CSS class of the severity badge: only the four known severities get their own colour. */
        public String severityClass() {
            return severity != null && severity.matches("P[1-4]") ? "sev sev-" + severity.toLowerCase() : "sev";
        }

        /** Only web addresses become links: a {@code javascript:} runbook from outside must stay text. */
        public String runbookUrl() {
            return runbook != null && runbook.matches("(?i)https?://\\S+") ? runbook : null;
        }
    }

    /** Where an escalation stands, in words: "critical: step 2 of 3 due 2026-03-01 10:15 UTC", "critical: paused (acknowledged)". */
    static String escalation(Map<String, Object> e) {
        String policy = String.valueOf(e.get("policy"));
        return switch (String.valueOf(e.get("state"))) {
            case "running" ->
                policy + ": step " + e.get("next_step") + " of " + e.get("steps") + " due "
                        + Format.utc(
                                Instant.parse(String.valueOf(e.get("next_at"))).toEpochMilli())
                        + ((Integer) e.get("passes") > 1
                                ? " (pass " + e.get("pass") + " of " + e.get("passes") + ")"
                                : "");
            case "paused" -> policy + ": paused (acknowledged); resumes if not resolved within the ack timeout";
            case "done" -> policy + ": every step has run";
            default -> policy + ": stopped (resolved)";
        };
    }

    /** {@code GET /incidents}: open incidents (triggered, then acknowledged), then the recently resolved. */
    public record ListPage(
            Viewer viewer,
            String css,
            String icon,
            String htmx,
            List<Summary> open,
            List<Summary> resolved,
            List<Response> response) {}

    /** How fast incidents of one severity were acknowledged and resolved over the stats window. */
    public record Response(String severity, long incidents, String mtta, String mttr, long slaBreaches) {}

    static List<Response> response(IncidentStats stats) {
        return stats.bySeverity().stream()
                .map(f -> new Response(
                        f.severity(), f.incidents(), mean(f.mttaSeconds()), mean(f.mttrSeconds()), f.slaBreaches()))
                .toList();
    }

    private static String mean(Double seconds) {
        return seconds == null || seconds.isNaN() ? "—" : Format.span(Math.round(seconds * 1000));
    }

    /**
     * One response target: what it is, when it was due, how long it took or has run so far, and whether it was
     * missed. {@code set}: the severity has a target; {@code done}: the clock has stopped.
     */
    public record Target(String name, String due, String elapsed, boolean breached, boolean set, boolean done) {
        /** "breached" whenever it was missed, even with no due time (flagged before a config change removed it). */
        public String outcome() {
            if (breached) return "breached";
            if (!set) return "no target";
            return done ? "met" : "running";
        }
    }

    /**
     * {@code GET /incidents/{id}}. {@code incident} is null when there is no such incident; {@code canRespond}
     * decides whether the action forms are shown (the routes refuse a viewer either way).
     */
    public record DetailPage(
            Viewer viewer,
            String css,
            String icon,
            long id,
            Incident incident,
            Summary summary,
            List<Target> targets,
            List<IncidentAlert> alerts,
            List<TimelineEntry> timeline,
            boolean canRespond,
            String error,
            String escalation,
            List<RunbookModels.Choice> runbooks,
            List<String> recentChanges) {
        /** Whether {@code runbook} (the alert rule's reference) is a configured runbook this page offers to run. */
        public boolean offers(String runbook) {
            return runbooks.stream().anyMatch(r -> r.id().equals(runbook));
        }

        public boolean found() {
            return incident != null;
        }
    }

    static Summary summary(Incident i, List<String> impacted, long nowMs) {
        return new Summary(
                i.id(),
                i.title(),
                i.state().label(),
                i.severity(),
                i.service(),
                Format.span(nowMs - i.openedMs()),
                sla(i, nowMs),
                breached(i, nowMs),
                impacted,
                i.runbook());
    }

    /** The target that runs now: acknowledgement until acknowledged, then resolution; resolved ones show none. */
    static String sla(Incident i, long nowMs) {
        return switch (i.state()) {
            case TRIGGERED -> clock("ack", i.ackDueMs(), i.ackBreached(), nowMs);
            case ACKNOWLEDGED -> clock("resolve", i.resolveDueMs(), i.resolveBreached(), nowMs);
            case RESOLVED -> i.ackBreached() || i.resolveBreached() ? "breached" : "met";
        };
    }

    static boolean breached(Incident i, long nowMs) {
        return switch (i.state()) {
            case TRIGGERED -> i.ackBreached() || (i.ackDueMs() != null && nowMs > i.ackDueMs());
            case ACKNOWLEDGED -> i.resolveBreached() || (i.resolveDueMs() != null && nowMs > i.resolveDueMs());
            case RESOLVED -> i.ackBreached() || i.resolveBreached();
        };
    }

    /** Both targets against what has happened so far (up to now for the ones still running). */
    static List<Target> targets(Incident i, long nowMs) {
        long ackEnd = i.firstAckedMs() != null ? i.firstAckedMs() : i.resolvedMs() != null ? i.resolvedMs() : nowMs;
        long resolveEnd = i.resolvedMs() != null ? i.resolvedMs() : nowMs;
        boolean ackLate = i.ackBreached() || (i.ackDueMs() != null && ackEnd > i.ackDueMs());
        boolean resolveLate = i.resolveBreached() || (i.resolveDueMs() != null && resolveEnd > i.resolveDueMs());
        return List.of(
                new Target(
                        "Acknowledge",
                        due(i.ackDueMs(), i.openedMs()),
                        Format.span(ackEnd - i.openedMs())
                                + (i.firstAckedMs() != null
                                        ? ""
                                        : i.resolvedMs() == null ? " so far" : " (resolved unacknowledged)"),
                        ackLate,
                        i.ackDueMs() != null,
                        i.firstAckedMs() != null || i.resolvedMs() != null),
                new Target(
                        "Resolve",
                        due(i.resolveDueMs(), i.openedMs()),
                        Format.span(resolveEnd - i.openedMs()) + (i.resolvedMs() == null ? " so far" : ""),
                        resolveLate,
                        i.resolveDueMs() != null,
                        i.resolvedMs() != null));
    }

    private static String due(Long dueMs, long openedMs) {
        return dueMs == null
                ? "no target"
                : "within " + Format.span(dueMs - openedMs) + " (by " + Format.utc(dueMs) + ")";
    }

    private static String clock(String what, Long dueMs, boolean flagged, long nowMs) {
        if (flagged || (dueMs != null && nowMs > dueMs)) return what + " breached";
        if (dueMs == null) return "no " + what + " target";
        return what + " due in " + Format.span(dueMs - nowMs);
    }
}
