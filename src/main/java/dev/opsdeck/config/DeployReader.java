package dev.opsdeck.config;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a service's {@code deploy:} section. The gate's and the bake's checks must be the service's own; the
 * conditions added to them are parsed by the check's type when the configuration is compiled, and the runbook and
 * channels are checked by {@link #validate} once the runbooks are read.
 */
final class DeployReader {
    private static final Set<String> ROLES = BackupDef.ordered("responder", "operator", "admin");

    private DeployReader() {}

    /** The section of service {@code service}; null when it has none or it is unusable (reported). */
    static DeployDef read(String service, YamlNode node, List<CheckDef> checks, Problems problems) {
        String section = "services." + service + ".deploy";
        if (!node.isMap()) {
            problems.add(node.position(), section + ": expected a mapping with a runbook, got " + node.describe());
            return null;
        }
        Fields f = new Fields(node, section, problems);
        String runbook = f.requiredString("runbook");
        String environment = f.string("environment", "production");
        List<String> names = checks.stream().map(CheckDef::name).toList();
        DeployDef.Gate gate = gate(f.child("gate"), names);
        DeployDef.Bake bake = bake(f.child("bake"), names);
        boolean auto =
                f.oneOf("rollback", "auto", BackupDef.ordered("auto", "manual")).equals("auto");
        DeployDef.Approval approval = approval(f);
        DeployDef.Freeze freeze = freeze(f.child("freeze"));
        List<String> notify = f.strings("notify");
        f.finish();
        return runbook == null
                ? null
                : new DeployDef(
                        service, runbook, environment, gate, bake, auto, approval, freeze, notify, f.position());
    }

    /** The runbook exists and takes the version; the channels exist. */
    static void validate(List<ServiceDef> services, RunbooksConfig runbooks, Set<String> channels, Problems problems) {
        for (ServiceDef s : services) {
            DeployDef d = s.deploy();
            if (d == null) continue;
            String at = "services." + s.name() + ".deploy";
            var def = runbooks.runbook(d.runbook());
            if (def.isEmpty()) {
                String guess = Fields.closest(d.runbook(), runbooks.runbooks().keySet());
                problems.add(
                        d.position(),
                        at + ".runbook: no runbook '" + d.runbook() + "'",
                        guess == null ? "define it under runbooks:" : "did you mean '" + guess + "'?");
            } else if (def.get().param(DeployDef.VERSION_PARAM).isEmpty()) {
                problems.add(
                        d.position(),
                        at + ".runbook: runbook '" + d.runbook() + "' has no parameter 'version'",
                        "declare params: [{ name: version, required: true }] and use {{params.version}} in its steps");
            }
            for (String c : d.channels()) {
                if (!channels.contains(c)) {
                    problems.add(d.position(), at + ".notify: no channel '" + c + "'", "define it under channels:");
                }
            }
        }
    }

    private static DeployDef.Gate gate(Fields f, List<String> checks) {
        Duration delay = f.duration("delay", Duration.ZERO);
        Duration timeout = f.positiveDuration("timeout", Duration.ofMinutes(2));
        Duration interval = f.positiveDuration("interval", Duration.ofSeconds(2));
        List<DeployDef.Probe> probes = probes(f, "checks", checks, false);
        if (!f.has("checks")) { // none named: every check of the service must pass
            probes = checks.stream()
                    .map(c -> new DeployDef.Probe(c, List.of(), 1, 1, f.position()))
                    .toList();
        }
        f.finish();
        return new DeployDef.Gate(delay == null ? Duration.ZERO : delay, timeout, interval, probes);
    }

    private static DeployDef.Bake bake(Fields f, List<String> checks) {
        if (!f.present()) {
            f.finish();
            return DeployDef.Bake.NONE;
        }
        Duration duration = f.duration("duration", Duration.ZERO);
        Duration interval = f.positiveDuration("interval", Duration.ofSeconds(30));
        boolean quiet = f.bool("alerts_quiet", true);
        List<DeployDef.Probe> analysis = probes(f, "analysis", checks, true);
        f.finish();
        return new DeployDef.Bake(duration == null ? Duration.ZERO : duration, interval, quiet, analysis);
    }

    /** Each item a check name, or { check, conditions, samples, failures } (the last two only in the bake). */
    private static List<DeployDef.Probe> probes(Fields f, String key, List<String> checks, boolean sampled) {
        YamlNode n = f.node(key);
        List<DeployDef.Probe> out = new ArrayList<>();
        if (n == null) return out;
        if (!n.isList()) {
            f.problem(key, "expected a list of checks, got " + n.describe());
            return out;
        }
        for (int i = 0; i < n.items().size(); i++) {
            YamlNode item = n.items().get(i);
            String at = f.section() + "." + key + "[" + i + "]";
            String check;
            List<YamlNode> conditions = List.of();
            int samples = 1, failures = 1;
            if (item.isScalar()) {
                check = item.text();
            } else if (item.isMap()) {
                Fields p = new Fields(item, at, f.problems());
                check = p.requiredString("check");
                conditions = p.scalarList("conditions");
                if (sampled) {
                    samples = p.integer("samples", 1, 1, 1000);
                    failures = p.integer("failures", 1, 1, 1000);
                    if (failures > samples) {
                        f.problems()
                                .add(
                                        p.positionOf("failures"),
                                        at + ".failures: " + failures + " is more than samples (" + samples + ")",
                                        "the bake fails when FAILURES of the last SAMPLES samples fail");
                    }
                }
                p.finish();
            } else {
                f.problems().add(item.position(), at + ": expected a check name or a mapping, got " + item.describe());
                continue;
            }
            if (check == null) continue;
            if (!checks.contains(check)) {
                String guess = Fields.closest(check, checks);
                f.problems()
                        .add(
                                item.position(),
                                at + ": no check '" + check + "' on this service",
                                guess != null
                                        ? "did you mean '" + guess + "'?"
                                        : "checks of this service: " + String.join(", ", checks));
                continue;
            }
            out.add(new DeployDef.Probe(check, conditions, samples, failures, item.position()));
        }
        return List.copyOf(out);
    }

    private static DeployDef.Approval approval(Fields parent) {
        if (!parent.has("approval")) {
            parent.node("approval");
            return new DeployDef.Approval(null, false);
        }
        Fields f = parent.child("approval");
        String role = f.oneOf("role", "operator", ROLES);
        boolean fourEyes = f.bool("four_eyes", false);
        f.finish();
        return new DeployDef.Approval(role, fourEyes);
    }

    private static DeployDef.Freeze freeze(Fields f) {
        boolean incidents = f.bool("incidents", true);
        List<DeployDef.Window> windows = new ArrayList<>();
        YamlNode n = f.node("windows");
        if (n != null && !n.isList()) {
            f.problem("windows", "expected a list of windows, got " + n.describe());
        } else if (n != null) {
            for (int i = 0; i < n.items().size(); i++) {
                DeployDef.Window w =
                        window(new Fields(n.items().get(i), f.section() + ".windows[" + i + "]", f.problems()));
                if (w != null) windows.add(w);
            }
        }
        f.finish();
        return new DeployDef.Freeze(incidents, List.copyOf(windows));
    }

    private static DeployDef.Window window(Fields f) {
        String name = f.string("name", "freeze");
        ZoneId zone = ZoneOffset.UTC;
        String z = f.string("time_zone", "UTC");
        try {
            zone = ZoneId.of(z);
        } catch (DateTimeException e) {
            f.problem("time_zone", "unknown time zone '" + z + "'", "e.g. Europe/Berlin");
        }
        Instant from = instant(f, "from"), until = instant(f, "until");
        List<String> dayNames = f.strings("days");
        String at = f.string("at", null);
        Duration length = f.positiveDuration("for", null);
        f.finish();
        if (dayNames.isEmpty()) {
            if (from == null || until == null || !until.isAfter(from)) {
                f.problems()
                        .add(
                                f.position(),
                                f.section() + ": a window needs from and until (until after from), or days, at and for",
                                "from: 2026-12-23T00:00:00Z, until: 2027-01-04T00:00:00Z; or days: [fri], at: \"16:00\","
                                        + " for: 64h");
                return null;
            }
            return new DeployDef.Window(name, from, until, Set.of(), null, null, zone);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String d : dayNames) {
            DayOfWeek day = day(d);
            if (day == null) {
                f.problem("days", "unknown day '" + d + "'", "mon, tue, wed, thu, fri, sat, sun");
                return null;
            }
            days.add(day);
        }
        LocalTime start = null;
        try {
            start = at == null ? null : LocalTime.parse(at);
        } catch (DateTimeParseException e) {
            f.problem("at", "expected a time such as \"16:00\", got '" + at + "'");
            return null;
        }
        if (start == null || length == null) {
            f.problems()
                    .add(f.position(), f.section() + ": a weekly window needs at and for", "at: \"16:00\", for: 64h");
            return null;
        }
        return new DeployDef.Window(name, null, null, Set.copyOf(days), start, length, zone);
    }

    private static Instant instant(Fields f, String key) {
        String s = f.string(key, null);
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            f.problem(key, "expected a UTC time such as 2026-12-23T00:00:00Z, got '" + s + "'");
            return null;
        }
    }

    private static DayOfWeek day(String d) {
        for (DayOfWeek w : DayOfWeek.values()) {
            String full = w.name().toLowerCase(Locale.ROOT);
            if (full.equals(d.toLowerCase(Locale.ROOT)) || full.substring(0, 3).equals(d.toLowerCase(Locale.ROOT)))
                return w;
        }
        return null;
    }
}
