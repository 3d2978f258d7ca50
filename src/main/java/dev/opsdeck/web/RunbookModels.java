package dev.opsdeck.web;

import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.config.RunbookParam;
import dev.opsdeck.config.Units;
import dev.opsdeck.incident.Incident;
import dev.opsdeck.incident.IncidentAlert;
import dev.opsdeck.runbook.Run;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.runbook.StepRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What the runbook pages show: the catalogue with its start forms, and one run with its steps and metrics table. */
public final class RunbookModels {
    private RunbookModels() {}

    /** One field of a start form. {@code value}: the default, or what was sent when the start was refused (never a secret). */
    public record Field(
            String name,
            String type,
            boolean required,
            String value,
            String def,
            String pattern,
            List<String> allowed,
            boolean secret,
            String description) {
        /** Booleans and lists of allowed values become a choice; a secret a password box; the rest a text box. */
        public String control() {
            if (!allowed.isEmpty()) return "select";
            if (type.equals("boolean")) return "boolean";
            return secret ? "password" : "text";
        }

        /** What the form says about the field besides its name. */
        public String hint() {
            List<String> parts = new ArrayList<>();
            parts.add(type);
            if (required) parts.add("required");
            if (secret) parts.add("secret");
            if (pattern != null) parts.add("pattern " + pattern);
            if (def != null && !secret) parts.add("default " + def);
            return String.join(", ", parts) + (description == null || description.isBlank() ? "" : " · " + description);
        }
    }

    /** One runbook of the catalogue. {@code error}: why the last start from this form was refused. */
    public record Entry(
            String id,
            String title,
            String services,
            String lastTested,
            boolean untested,
            String target,
            int steps,
            String startRole,
            boolean canStart,
            List<Field> fields,
            String error,
            boolean open) {}

    /** One recent run, as a row. */
    public record RunRow(
            String id, String runbook, String status, String pill, String startedBy, String started, Long incidentId) {}

    /** {@code GET /runbooks}; with {@code incident}, only the runbooks that apply to it, and starts link to it. */
    public record CataloguePage(
            Viewer viewer,
            String css,
            String icon,
            List<Entry> runbooks,
            List<RunRow> recent,
            Long incidentId,
            String incidentTitle) {}

    /** A runbook offered on an incident's page, and why it applies. */
    public record Choice(String id, String title, String why) {}

    /** One step of a run: the evidence and its place in the metrics table. */
    public record StepRow(
            int seq,
            String step,
            String phase,
            String type,
            String status,
            String pill,
            String target,
            String actual,
            String met,
            String exitCode,
            String message,
            String decidedBy,
            String output,
            String extracted,
            boolean running,
            String confirmation,
            String statusText) {}

    /** The approval a run waits for. */
    public record Approval(String step, String role, boolean fourEyes, String prompt) {}

    /** {@code GET /runs/{id}}. {@code cursor}: how much output the page holds, where the live stream goes on from. */
    public record RunPage(
            Viewer viewer,
            String css,
            String icon,
            String script,
            String id,
            String runbook,
            String title,
            String status,
            String pill,
            String startedBy,
            Long incidentId,
            String params,
            String started,
            String ended,
            String message,
            List<StepRow> steps,
            String total,
            String rto,
            String rtoMet,
            boolean definitionChanged,
            Approval approval,
            boolean canDecide,
            boolean canCancel,
            boolean canResume,
            List<String> secretParams,
            String error,
            String cursor,
            boolean active) {}

    static Entry entry(Runbooks.Entry e, long now, boolean canStart, Map<String, String> sent, String error) {
        RunbookDef d = e.def();
        List<Field> fields = d.params().stream().map(p -> field(p, sent)).toList();
        String lastTested = e.lastSuccessMs() == null ? "never" : Format.ago(e.lastSuccessMs(), now);
        return new Entry(
                d.id(),
                d.title(),
                String.join(", ", d.services()),
                lastTested,
                e.untested(),
                d.target() == null ? "—" : Units.format(d.target()),
                d.steps().size(),
                Runbooks.startRole(d).label(),
                canStart,
                fields,
                error,
                error != null);
    }

    private static Field field(RunbookParam p, Map<String, String> sent) {
        String value = p.secret()
                ? ""
                : sent.containsKey(p.name()) ? sent.get(p.name()) : p.defaultValue() == null ? "" : p.defaultValue();
        return new Field(
                p.name(),
                p.type().label(),
                p.required() && p.defaultValue() == null,
                value,
                p.defaultValue(),
                p.pattern(),
                p.allowed(),
                p.secret(),
                p.description());
    }

    static RunRow row(Run r) {
        return new RunRow(
                r.id(),
                r.runbookId(),
                r.statusText(),
                pill(r.status()),
                r.startedBy(),
                Format.utc(r.createdMs()),
                r.incidentId());
    }

    /**
     * The runbooks that apply to an incident: the one its alert rule names first, then those for its services
     * (root cause and impacted) or its alert rules, each once.
     */
    static List<Choice> applicable(
            List<RunbookDef> all,
            Incident incident,
            List<String> impacted,
            List<IncidentAlert> alerts,
            String ruleRunbook) {
        Set<String> services = new LinkedHashSet<>();
        if (incident.service() != null) services.add(incident.service());
        services.addAll(impacted);
        Set<String> rules =
                alerts.stream().map(IncidentAlert::name).collect(Collectors.toCollection(LinkedHashSet::new));
        List<Choice> first = new ArrayList<>();
        List<Choice> rest = new ArrayList<>();
        for (RunbookDef d : all) {
            if (d.id().equals(ruleRunbook)) {
                first.add(new Choice(d.id(), d.title(), "named by the alert rule"));
                continue;
            }
            List<String> why = new ArrayList<>();
            d.services().stream().filter(services::contains).forEach(s -> why.add("service " + s));
            d.alerts().stream().filter(rules::contains).forEach(a -> why.add("alert " + a));
            if (!why.isEmpty()) rest.add(new Choice(d.id(), d.title(), String.join(", ", why)));
        }
        first.addAll(rest);
        return first;
    }

    static StepRow step(StepRun s, String output) {
        Long actual = s.durationMs();
        String met = s.met() == null ? "" : s.met() ? "yes" : "no";
        String extracted = s.extracted().entrySet().stream()
                .map(x -> x.getKey() + " = " + x.getValue())
                .collect(Collectors.joining("\n"));
        boolean running = s.status() == StepRun.Status.RUNNING || s.status() == StepRun.Status.WAITING;
        // a confirmation is told apart from the step's own result, and its wait apart from the step's duration
        String confirmation = s.waitMs() == null
                ? ""
                : s.confirmedBy() != null
                        ? "confirmed by " + s.confirmedBy() + " after " + duration(s.waitMs())
                        : "waited " + duration(s.waitMs()) + " for a confirmation";
        String decidedBy = s.waitMs() != null || s.decidedBy() == null ? "" : s.decidedBy();
        return new StepRow(
                s.seq(),
                s.stepId(),
                s.phase(),
                s.type(),
                s.status().label(),
                stepPill(s.status()),
                duration(s.targetMs()),
                running ? "running" : duration(actual),
                met,
                s.exitCode() == null ? "" : String.valueOf(s.exitCode()),
                s.message() == null ? "" : s.message(),
                decidedBy,
                output,
                extracted,
                running,
                confirmation,
                s.statusText());
    }

    static String duration(Long ms) {
        return ms == null ? "—" : Units.format(Duration.ofMillis(ms));
    }

    static String pill(Run.Status s) {
        return switch (s) {
            case SUCCEEDED -> "pill-up";
            case FAILED, INTERRUPTED -> "pill-down";
            case RUNNING, WAITING_APPROVAL, QUEUED -> "pill-degraded";
            case CANCELLED -> "pill-unknown";
        };
    }

    static String stepPill(StepRun.Status s) {
        return switch (s) {
            case SUCCEEDED -> "pill-up";
            case FAILED, INTERRUPTED -> "pill-down";
            case RUNNING, WAITING -> "pill-degraded";
            case SKIPPED, CANCELLED -> "pill-unknown";
        };
    }
}
