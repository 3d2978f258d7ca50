package dev.opsdeck.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One named rule under {@code alerts.rules}. It watches either one check ({@code check: service/check}) or a
 * whole service ({@code service: name}) and fires when its {@code when} conditions all hold on the check's
 * latest result and/or the target is in {@code state}, for at least {@code for}.
 *
 * @param state {@code down}, {@code degraded} (degraded or worse) or {@code flapping}; null when not asked
 */
public record AlertRule(
        String name,
        String check,
        String service,
        List<YamlNode> when,
        String state,
        Duration forDuration,
        String severity,
        Map<String, String> labels,
        String summary,
        String description,
        String runbook,
        AutoRun autoRun,
        boolean dependencyAware,
        Position position,
        Position targetPosition) {
    public static final Set<String> STATES = Set.of("down", "degraded", "flapping");
    /** Placeholders whose values a result does not keep (see CompiledCheck.keep). */
    private static final Set<String> NOT_KEPT = Set.of("BODY", "STDOUT", "STDERR", "HEADERS", "INFO");

    /** The service the rule is about: its own for a service rule, the check's for a check rule. */
    public String targetService() {
        return service != null ? service : check.substring(0, check.indexOf('/'));
    }

    /** {@code service/check} or the service name: what the fingerprint is taken of. */
    public String target() {
        return check != null ? check : service;
    }

    static AlertRule read(YamlNode.Key key, Fields f, AlertDefaults defaults) {
        String where = f.section();
        String check = f.string("check", null);
        String service = f.string("service", null);
        Position targetAt = f.positionOf(check != null ? "check" : "service");
        boolean usable = true;
        if (check != null && service != null) {
            f.problems()
                    .add(
                            f.positionOf("service"),
                            where + ": give either check or service, not both",
                            "check: service/check watches one check; service: name watches the service's state");
            usable = false;
        } else if (check == null && service == null) {
            f.problems()
                    .add(
                            key.position(),
                            where + ": missing 'check' or 'service'",
                            "e.g. check: indexer/health, or service: postgres");
            usable = false;
        } else if (check != null && !check.matches("[^/\\s]+/[^/\\s]+")) {
            f.problems()
                    .add(
                            targetAt,
                            where + ".check: expected service/check, got \"" + check + "\"",
                            "e.g. check: indexer/health");
            usable = false;
        }
        List<YamlNode> when = f.scalarList("when");
        if (!when.isEmpty() && check == null) {
            f.problems()
                    .add(
                            f.positionOf("when"),
                            where + ".when: conditions need a check to read values from",
                            "use check: service/check, or state: for a service");
        }
        for (YamlNode n : when) notKept(n, where, f.problems());
        String state = f.oneOf("state", null, new TreeSet<>(STATES));
        if (when.isEmpty() && state == null && !f.has("state")) {
            f.problems()
                    .add(
                            key.position(),
                            where + ": missing 'when' or 'state'",
                            "when: \"[VALUE] > 300\" fires on a measured value; state: down fires on the state");
        }
        Duration forDuration = AlertDefaults.forDuration(f, defaults.forDuration());
        String severity = AlertDefaults.severity(f, defaults.severity());
        Map<String, String> labels = labels(f);
        String summary = template(f, "summary");
        String description = template(f, "description");
        String runbook = runbook(f);
        AutoRun autoRun = AutoRun.read(f, runbook, AutoRun.labelsOf(check != null, labels));
        boolean dependencyAware = f.bool("dependency_aware", defaults.dependencyAware());
        f.finish();
        return usable
                ? new AlertRule(
                        key.name(),
                        check,
                        service,
                        List.copyOf(when),
                        state,
                        forDuration,
                        severity,
                        labels,
                        summary,
                        description,
                        runbook,
                        autoRun,
                        dependencyAware,
                        key.position(),
                        targetAt)
                : null;
    }

    /**
     * Rules see a result's kept values only: bodies, command output and maps (headers, Redis INFO) stay with
     * the probe. A rule on them could never fire, so it is an error; the check's own conditions can read them.
     */
    private static void notKept(YamlNode condition, String where, Problems problems) {
        Matcher m = Pattern.compile("\\[([A-Za-z_]+)]").matcher(condition.text());
        while (m.find()) {
            String name = m.group(1).toUpperCase(Locale.ROOT);
            if (NOT_KEPT.contains(name)) {
                problems.add(
                        condition.position(),
                        where + ".when: [" + name + "] is not kept after the probe, so a rule cannot read it",
                        "judge it in the check's conditions and alert on its state (state: down), or measure a number");
            }
        }
    }

    /** {@code labels:} name: value, with names as Prometheus and Alertmanager write them. */
    static Map<String, String> labels(Fields f) {
        Map<String, String> labels = f.stringMap("labels");
        YamlNode node = f.node("labels");
        for (String name : labels.keySet()) {
            Position at = node == null
                    ? f.position()
                    : node.entries().keySet().stream()
                            .filter(k -> k.name().equals(name))
                            .findFirst()
                            .map(YamlNode.Key::position)
                            .orElse(f.position());
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
                f.problems()
                        .add(
                                at,
                                f.section() + ".labels: bad label name '" + name + "'",
                                "letters, digits and '_', not starting with a digit");
            } else if (AlertTemplate.RESERVED_LABELS.contains(name)) {
                f.problems()
                        .add(
                                at,
                                f.section() + ".labels: '" + name + "' is set by Opsdeck",
                                "Opsdeck labels every alert with " + String.join(", ", AlertTemplate.RESERVED_LABELS));
            }
        }
        return Map.copyOf(labels);
    }

    /** {@code runbook:} a runbook id such as {@code rb-001} or {@code restart-indexer}, or an http(s) URL. */
    static String runbook(Fields f) {
        String runbook = f.string("runbook", null);
        if (runbook != null
                && !runbook.matches("(?i)[a-z][a-z0-9]*-[0-9]+")
                && !RunbookReader.RUNBOOK_ID.matcher(runbook).matches()
                && !runbook.matches("https?://\\S+")) {
            f.problem(
                    "runbook",
                    "expected a runbook id or a URL, got \"" + runbook + "\"",
                    "e.g. rb-001, or https://wiki.example.com/runbooks/postgres");
            return null;
        }
        return runbook;
    }

    private static String template(Fields f, String key) {
        String text = f.string(key, null);
        if (text != null) {
            for (String problem : AlertTemplate.problems(text)) {
                f.problem(
                        key,
                        problem,
                        "placeholders: "
                                + String.join(
                                        ", ",
                                        AlertTemplate.PLACEHOLDERS.stream()
                                                .map(p -> "{{" + p + "}}")
                                                .toList()));
            }
        }
        return text;
    }
}
