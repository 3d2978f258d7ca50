package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.RunbookText;
import dev.opsdeck.config.StepScope;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.probe.CheckTypes;
import java.util.Set;

/**
 * What a step type reads its keys with: the runbook and the names its steps may refer to ({@link StepScope}), the
 * check types ({@code http} steps are http checks), the configured checks, and where problems go.
 */
public final class StepReading {
    private final Problems problems;
    private final RunbookDef runbook;
    private final StepScope scope;
    private final String where;
    private final CheckTypes checkTypes;
    private final Set<String> checks;

    /** {@code checks}: the ids ({@code service/check}) of the configured, enabled checks. */
    public StepReading(
            Problems problems, RunbookDef runbook, RunbookStep step, CheckTypes checkTypes, Set<String> checks) {
        this.problems = problems;
        this.runbook = runbook;
        this.scope = step.scope();
        this.where = step.where();
        this.checkTypes = checkTypes;
        this.checks = checks;
    }

    public Problems problems() {
        return problems;
    }

    public RunbookDef runbook() {
        return runbook;
    }

    public StepScope scope() {
        return scope;
    }

    /** The step's place in messages, e.g. {@code runbooks.restart.steps[0]}. */
    public String where() {
        return where;
    }

    public CheckTypes checkTypes() {
        return checkTypes;
    }

    /** Reports a name {@code names} does not hold at {@code key}, with the closest one as a hint. */
    void unknown(Fields f, String key, String name, String what, Set<String> names) {
        problems.add(
                f.positionOf(key),
                where + "." + key + ": no " + what + " '" + name + "'",
                RunbookText.hint(name, names));
    }

    /** The {@code check:} of a {@code check} or {@code wait} step: a configured check, named service/check. */
    String check(RunbookStep step, Fields f, boolean required) {
        String check = required ? f.requiredString("check") : f.string("check", null);
        if (check == null) return null;
        boolean known = scope.services().stream().anyMatch(s -> check.startsWith(s + "/"));
        if (!check.contains("/") || !known) {
            problems.add(
                    f.positionOf("check"),
                    where + ".check: no check '" + check + "'",
                    "name a configured check as service/check");
        } else if (!checks.contains(check)) {
            problems.add(
                    step.position(),
                    "runbooks." + runbook.id() + " step " + step.id() + ".check: no check '" + check + "'",
                    "name a configured, enabled check as service/check");
        }
        return check;
    }

    String templated(Fields f, String key, String text) {
        YamlNode n = f.node(key);
        return n == null ? text : templated(n, where + "." + key, text);
    }

    /** Checks that each template names a declared parameter or an earlier step; returns the text unchanged. */
    String templated(YamlNode at, String field, String text) {
        if (text == null) return null;
        for (String expr : RunbookText.templates(text)) {
            String[] parts = expr.split("\\.");
            if (parts.length == 2 && parts[0].equals("params")) {
                if (!scope.params().contains(parts[1])) {
                    problems.add(
                            at.position(),
                            field + ": {{" + expr + "}} names no parameter of this runbook",
                            RunbookText.hint(parts[1], scope.params()));
                }
            } else if (parts.length == 3 && parts[0].equals("steps")) {
                if (!scope.earlier().contains(parts[1])) {
                    problems.add(
                            at.position(),
                            field + ": {{" + expr + "}} names no earlier step",
                            scope.siblings().contains(parts[1])
                                    ? "a step can use only the results of steps before it"
                                    : null);
                }
            } else {
                problems.add(
                        at.position(),
                        field + ": unknown template {{" + expr + "}}",
                        "write {{params.NAME}} or {{steps.STEP.VALUE}}");
            }
        }
        return text;
    }
}
