package dev.opsdeck.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code alerts:} what pages. {@code defaults} says how every check alerts on its own state (overridable per
 * check with the check's {@code alert:} key, see {@link CheckAlert}); {@code rules} are named alerts on a
 * check's measured values or on a check's or service's state. Conditions in {@code when} are kept as
 * positioned text here and parsed by the probe layer against the check type's placeholders.
 */
public record AlertsConfig(AlertDefaults defaults, Map<String, AlertRule> rules) {
    public static final AlertsConfig DEFAULTS = new AlertsConfig(AlertDefaults.DEFAULTS, Map.of());
    public static final Set<String> SEVERITIES = Set.of("P1", "P2", "P3", "P4");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    public static AlertsConfig read(Fields f) {
        AlertDefaults defaults = AlertDefaults.read(f.child("defaults"));
        Map<String, AlertRule> rules = new LinkedHashMap<>();
        YamlNode node = f.node("rules");
        if (node != null && !node.isMap()) {
            f.problems().add(node.position(), "alerts.rules: expected a mapping of rule names, got " + node.describe());
        } else if (node != null) {
            node.entries().forEach((key, value) -> {
                if (!NAME.matcher(key.name()).matches()) {
                    f.problems()
                            .add(
                                    key.position(),
                                    "alert rule name '" + key.name() + "' is not allowed",
                                    "use letters, digits, '.', '_' or '-', starting with a letter or digit");
                }
                AlertRule rule =
                        AlertRule.read(key, new Fields(value, "alerts.rules." + key.name(), f.problems()), defaults);
                if (rule != null) rules.put(key.name(), rule);
            });
        }
        f.finish();
        return new AlertsConfig(defaults, Collections.unmodifiableMap(rules)); // file order
    }

    /** The {@code when} conditions of the rules on one check ({@code service/check}), for the probe layer to parse. */
    public List<YamlNode> conditionsOn(String checkId) {
        List<YamlNode> out = new ArrayList<>();
        rules.values().forEach(r -> {
            if (checkId.equals(r.check())) out.addAll(r.when());
        });
        return out;
    }

    /**
     * Checks what needs the services: every rule's target exists, and every check's {@code alert:} block is
     * valid. Called by the loader once services are read, like the dependency graph.
     */
    public void validate(List<ServiceDef> services, Problems problems) {
        Map<String, ServiceDef> byName = new HashMap<>();
        List<String> checkIds = new ArrayList<>();
        for (ServiceDef s : services) {
            byName.put(s.name(), s);
            s.checks().forEach(c -> checkIds.add(c.id()));
        }
        for (AlertRule r : rules.values()) {
            String where = "alerts.rules." + r.name();
            if (r.service() != null && !byName.containsKey(r.service())) {
                String guess = Fields.closest(r.service(), byName.keySet());
                problems.add(
                        r.targetPosition(),
                        where + ".service: unknown service '" + r.service() + "'",
                        guess != null
                                ? "did you mean '" + guess + "'?"
                                : "services: " + String.join(", ", byName.keySet()));
            }
            if (r.check() != null && !checkIds.contains(r.check())) {
                String guess = Fields.closest(r.check(), checkIds);
                problems.add(
                        r.targetPosition(),
                        where + ".check: unknown check '" + r.check() + "'",
                        guess != null
                                ? "did you mean '" + guess + "'?"
                                : "write service/check as under services:, e.g. "
                                        + (checkIds.isEmpty() ? "api/health" : checkIds.get(0)));
            }
        }
        for (ServiceDef s : services) {
            for (CheckDef c : s.checks()) CheckAlert.read(c, defaults, problems);
        }
    }

    /** Alerts that start a runbook when they fire: the runbook exists and its parameters can be filled. */
    public void validateAutoRuns(List<ServiceDef> services, RunbooksConfig runbooks, Problems problems) {
        for (AlertRule r : rules.values()) {
            if (r.autoRun() != null) r.autoRun().validate("alerts.rules." + r.name(), runbooks, problems);
        }
        Problems again = new Problems(); // the alert: keys' own problems were reported by validate
        for (ServiceDef s : services) {
            for (CheckDef c : s.checks()) {
                AutoRun a = CheckAlert.read(c, defaults, again).autoRun();
                if (a != null)
                    a.validate("services." + s.name() + ".checks." + c.name() + ".alert", runbooks, problems);
            }
        }
    }
}
