package dev.opsdeck.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An alert that starts its runbook when it fires ({@code auto_run: true} next to {@code runbook:}), with
 * {@code runbook_params} filled from the alert's labels ({@code {{labels.NAME}}}). Read with the alert, checked
 * against the runbooks once those are loaded ({@link #validate}).
 *
 * @param params        parameter name to its template, in file order
 * @param labels        the labels the alert will carry (Opsdeck's and the rule's own): what templates may use
 */
public record AutoRun(
        String runbook,
        Map<String, String> params,
        Set<String> labels,
        Position position,
        Position runbookPosition,
        Map<String, Position> paramPositions) {
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");

    /**
     * Reads {@code auto_run} and {@code runbook_params} of an alert (rule or a check's {@code alert:}); null
     * when the alert does not opt in. {@code labels} are the labels its events carry.
     */
    static AutoRun read(Fields f, String runbook, Set<String> labels) {
        boolean on = f.bool("auto_run", false);
        YamlNode paramsNode = f.node("runbook_params");
        Map<String, String> params = f.stringMap("runbook_params");
        Map<String, Position> positions = new LinkedHashMap<>();
        if (paramsNode != null && paramsNode.isMap())
            paramsNode.entries().forEach((k, v) -> positions.put(k.name(), v.position()));
        if (!on) {
            if (!params.isEmpty()) {
                f.problem(
                        "runbook_params",
                        "only used with auto_run: true",
                        "add auto_run: true, or remove runbook_params");
            }
            return null;
        }
        if (runbook == null) {
            if (!f.has("runbook")) {
                f.problem("auto_run", "needs runbook: the id of the runbook to start", "e.g. runbook: rb-001");
            }
            return null;
        }
        if (runbook.matches("https?://\\S+")) {
            f.problem(
                    "runbook",
                    "auto_run needs the id of a runbook under" + " runbooks:, not a URL (\"" + runbook + "\")",
                    "e.g. runbook: rb-001");
            return null;
        }
        return new AutoRun(
                runbook,
                Collections.unmodifiableMap(params),
                Collections.unmodifiableSet(new LinkedHashSet<>(labels)),
                f.positionOf("auto_run"),
                f.positionOf("runbook"),
                Map.copyOf(positions));
    }

    /** The labels an alert carries: {@code alertname}, {@code service}, {@code check} (check alerts) and its own. */
    static Set<String> labelsOf(boolean hasCheck, Map<String, String> own) {
        Set<String> out = new LinkedHashSet<>(List.of("alertname", "service"));
        if (hasCheck) out.add("check");
        out.addAll(own.keySet());
        return out;
    }

    /**
     * Checks the runbook exists, each parameter is one of it and uses known labels only, a literal value is
     * acceptable, and every required parameter without a default is filled.
     */
    void validate(String where, RunbooksConfig runbooks, Problems problems) {
        RunbookDef def = runbooks.runbook(runbook).orElse(null);
        if (def == null) {
            problems.add(
                    runbookPosition,
                    where + ".runbook: no runbook '" + runbook + "' under runbooks: (auto_run starts one)",
                    RunbookText.hint(runbook, runbooks.runbooks().keySet()));
            return;
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            Position at = paramPositions.getOrDefault(e.getKey(), position);
            RunbookParam p = def.param(e.getKey()).orElse(null);
            if (p == null) {
                problems.add(
                        at,
                        where + ".runbook_params: runbook " + runbook + " has no parameter '" + e.getKey() + "'",
                        def.params().isEmpty()
                                ? "it takes no parameters"
                                : "parameters: "
                                        + String.join(
                                                ", ",
                                                def.params().stream()
                                                        .map(RunbookParam::name)
                                                        .toList()));
                continue;
            }
            Matcher m = TEMPLATE.matcher(e.getValue());
            boolean templated = false;
            while (m.find()) {
                templated = true;
                String ref = m.group(1);
                String label = ref.startsWith("labels.") ? ref.substring("labels.".length()) : null;
                if (label == null || !labels.contains(label)) {
                    problems.add(
                            at,
                            where + ".runbook_params." + e.getKey() + ": unknown placeholder {{" + ref + "}}",
                            "placeholders: "
                                    + String.join(
                                            ", ",
                                            labels.stream()
                                                    .map(l -> "{{labels." + l + "}}")
                                                    .toList()));
                }
            }
            if (!templated) {
                String refusal = p.refusal(e.getValue());
                if (refusal != null) problems.add(at, where + ".runbook_params." + e.getKey() + ": " + refusal);
            }
        }
        for (RunbookParam p : def.params()) {
            if (p.required() && p.defaultValue() == null && !params.containsKey(p.name())) {
                problems.add(
                        position,
                        where + ".auto_run: runbook " + runbook + " needs parameter '" + p.name()
                                + "', which runbook_params does not fill",
                        "add runbook_params: { " + p.name() + ": \"{{labels.service}}\" }");
            }
        }
    }

    /** The parameters for one firing alert: each template filled from its labels (a missing label: empty text). */
    public Map<String, String> params(Map<String, String> alertLabels) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((name, template) -> {
            Matcher m = TEMPLATE.matcher(template);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String ref = m.group(1);
                String value = ref.startsWith("labels.") ? alertLabels.getOrDefault(ref.substring(7), "") : "";
                m.appendReplacement(b, Matcher.quoteReplacement(value));
            }
            m.appendTail(b);
            out.put(name, b.toString());
        });
        return out;
    }
}
