package dev.opsdeck.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One schedule ({@code schedules.<name>}): when (cron, zone, jitter), what (exactly one target), and what to do
 * with a slot missed while Opsdeck was down ({@code missed}, {@code grace}) or while the last run still goes
 * ({@code overlap}). A failed or missed run raises an alert unless {@code alert.on} leaves it out.
 */
public record ScheduleDef(
        String name,
        String description,
        Cron cron,
        ZoneId zone,
        Duration jitter,
        Target target,
        Missed missed,
        Duration grace,
        Overlap overlap,
        Set<String> alertOn,
        String severity,
        Position position) {
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);
    /** Not the server's zone: a schedule must mean the same on every node and after a move to another host. */
    public static final ZoneId UTC = ZoneId.of("UTC");

    static final Set<String> MISSED = BackupDef.ordered("run_once", "skip");
    static final Set<String> OVERLAP = BackupDef.ordered("skip", "queue", "allow");
    static final Set<String> RESULTS = BackupDef.ordered("failed", "missed");
    static final Set<String> SEVERITIES = BackupDef.ordered("P1", "P2", "P3", "P4");
    static final List<String> TARGETS = List.of("runbook", "backup", "drill", "check");

    public enum Missed {
        RUN_ONCE,
        SKIP
    }

    public enum Overlap {
        SKIP,
        QUEUE,
        ALLOW
    }

    /** Without the position: two configurations that say the same compare the same as text. */
    @Override
    public String toString() {
        return "ScheduleDef[" + name + " \"" + description + "\" " + cron + " " + zone + " jitter=" + jitter + " "
                + target + " missed=" + missed + " grace=" + grace + " overlap=" + overlap + " alert=" + alertOn + " "
                + severity + "]";
    }

    /** What a schedule runs. */
    public sealed interface Target {
        /** {@code runbook}, {@code backup}, {@code drill} or {@code check}. */
        String kind();

        /** The runbook id, backup target, drill name or check id ({@code service/check}). */
        String ref();
    }

    public record RunbookTarget(String ref, Map<String, String> params) implements Target {
        public String kind() {
            return "runbook";
        }
    }

    public record BackupTarget(String ref) implements Target {
        public String kind() {
            return "backup";
        }
    }

    public record DrillTarget(String ref) implements Target {
        public String kind() {
            return "drill";
        }
    }

    public record CheckTarget(String ref) implements Target {
        public String kind() {
            return "check";
        }
    }

    /** What the referenced names are checked against. */
    record Known(
            Set<String> runbooks,
            Map<String, RunbookDef> runbookDefs,
            Set<String> backups,
            Set<String> drills,
            Set<String> checks) {}

    static ScheduleDef read(YamlNode.Key key, YamlNode node, Known known, Problems problems) {
        String section = "schedules." + key.name();
        Fields f = new Fields(node, section, problems);
        String description = f.string("description", "");
        Cron cron = null;
        String cronText = f.requiredString("cron");
        if (cronText != null) {
            try {
                cron = Cron.parse(cronText);
            } catch (IllegalArgumentException e) {
                problems.add(
                        f.positionOf("cron"),
                        section + ".cron: " + e.getMessage(),
                        "minute hour day-of-month month day-of-week, e.g. \"0 2 * * *\" for 02:00 every day");
            }
        }
        ZoneId zone = UTC;
        String zoneText = f.string("time_zone", null);
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                problems.add(
                        f.positionOf("time_zone"),
                        section + ".time_zone: unknown time zone \"" + zoneText + "\"",
                        "a region name such as Europe/Berlin or America/New_York, or UTC");
            }
        }
        Duration jitter = f.duration("jitter", Duration.ZERO);
        if (jitter.isNegative()) {
            problems.add(f.positionOf("jitter"), section + ".jitter: must not be negative");
            jitter = Duration.ZERO;
        }
        Target target = target(f, section, known, problems);
        String missed = f.oneOf("missed", "run_once", MISSED);
        Duration grace = f.positiveDuration("grace", DEFAULT_GRACE);
        String overlap = f.oneOf("overlap", "skip", OVERLAP);
        Fields alert = f.child("alert");
        Set<String> alertOn = new LinkedHashSet<>(RESULTS);
        if (alert.has("on")) {
            alertOn.clear();
            for (YamlNode n : alert.scalarList("on")) {
                if (RESULTS.contains(n.text())) alertOn.add(n.text());
                else
                    problems.add(
                            n.position(),
                            section + ".alert.on: unknown result \"" + n.text() + "\"",
                            "one or both of failed, missed; [] for no alert");
            }
        }
        String severity = alert.oneOf("severity", "P3", SEVERITIES);
        alert.finish();
        f.finish();
        return new ScheduleDef(
                key.name(),
                description,
                cron,
                zone,
                jitter,
                target,
                missed.equals("skip") ? Missed.SKIP : Missed.RUN_ONCE,
                grace,
                Overlap.valueOf(overlap.toUpperCase(Locale.ROOT)),
                Collections.unmodifiableSet(new TreeSet<>(alertOn)),
                severity,
                key.position());
    }

    private static Target target(Fields f, String section, Known known, Problems problems) {
        List<String> given = new ArrayList<>();
        for (String t : TARGETS) if (f.has(t)) given.add(t);
        Map<String, String> params = f.stringMap("params");
        if (given.size() != 1) {
            problems.add(
                    given.size() > 1 ? f.positionOf(given.get(1)) : f.position(),
                    section
                            + (given.isEmpty()
                                    ? ": missing a target"
                                    : ": has " + given.size() + " targets (" + String.join(", ", given)
                                            + "); a schedule runs exactly one"),
                    "one of runbook: ID, backup: TARGET, drill: NAME, check: SERVICE/CHECK");
            return null;
        }
        String kind = given.getFirst();
        String ref = f.string(kind, null);
        if (ref == null) return null;
        Position at = f.positionOf(kind);
        if (f.has("params") && !kind.equals("runbook")) {
            problems.add(f.positionOf("params"), section + ".params: only a runbook target takes params");
        }
        switch (kind) {
            case "runbook" -> {
                RunbookDef def = known.runbookDefs().get(ref);
                if (def == null) {
                    unknown(problems, at, section, "runbook", ref, known.runbooks());
                } else {
                    params(f, section, def, params, problems);
                }
                return new RunbookTarget(ref, Map.copyOf(params));
            }
            case "backup" -> {
                if (!known.backups().contains(ref))
                    unknown(problems, at, section, "backup target", ref, known.backups());
                return new BackupTarget(ref);
            }
            case "drill" -> {
                if (!known.drills().contains(ref)) {
                    unknown(problems, at, section, "drill", ref, known.drills());
                }
                return new DrillTarget(ref);
            }
            default -> {
                if (!known.checks().contains(ref)) {
                    problems.add(
                            at,
                            section + ".check: no check '" + ref + "'",
                            "name a configured check as service/check" + hint(ref, known.checks()));
                }
                return new CheckTarget(ref);
            }
        }
    }

    /** Parameters are checked when the config loads, so a typo fails the reload rather than the 02:00 run. */
    private static void params(
            Fields f, String section, RunbookDef def, Map<String, String> params, Problems problems) {
        YamlNode node = f.node("params");
        Map<String, Position> where = new LinkedHashMap<>();
        if (node != null && node.isMap()) node.entries().forEach((k, v) -> where.put(k.name(), v.position()));
        params.forEach((name, value) -> {
            var p = def.param(name);
            if (p.isEmpty()) {
                problems.add(
                        where.getOrDefault(name, f.position()),
                        section + ".params: runbook '" + def.id() + "' has no parameter '" + name + "'",
                        def.params().isEmpty()
                                ? "it takes none"
                                : "its parameters: "
                                        + String.join(
                                                ", ",
                                                def.params().stream()
                                                        .map(RunbookParam::name)
                                                        .toList()));
            } else if (p.get().refusal(value) != null) {
                problems.add(
                        where.getOrDefault(name, f.position()),
                        section + ".params." + name + ": " + p.get().refusal(value));
            }
        });
        for (RunbookParam p : def.params()) {
            if (p.required() && p.defaultValue() == null && !params.containsKey(p.name())) {
                problems.add(
                        f.positionOf("runbook"),
                        section + ".params: runbook '" + def.id() + "' needs parameter '" + p.name() + "'");
            }
        }
    }

    private static void unknown(
            Problems problems, Position at, String section, String what, String ref, Set<String> known) {
        String key = what.startsWith("backup") ? "backup" : what;
        problems.add(
                at,
                section + "." + key + ": no " + what + " '" + ref + "'",
                known.isEmpty()
                        ? "none is configured"
                        : "configured: "
                                + String.join(", ", known.stream().sorted().toList()) + hint(ref, known));
    }

    private static String hint(String ref, Set<String> known) {
        String guess = Fields.closest(ref, known);
        return guess == null ? "" : "; did you mean '" + guess + "'?";
    }
}
