package dev.opsdeck.config;

import java.time.Duration;

/** Reads what every step of a runbook has; its type reads the rest when runbooks are compiled. */
final class StepReader {
    private final Problems problems;
    private final String where;
    private final StepScope scope;

    StepReader(Problems problems, String where, StepScope scope) {
        this.problems = problems;
        this.where = where;
        this.scope = scope;
    }

    RunbookStep read(YamlNode node) {
        if (!node.isMap()) {
            problems.add(
                    node.position(), where + ": expected a step (a mapping with id and type), got " + node.describe());
            return null;
        }
        Fields f = new Fields(node, where, problems);
        String id = f.requiredString("id");
        if (id != null && !RunbookReader.STEP_ID.matcher(id).matches()) {
            problems.add(
                    f.positionOf("id"),
                    where + ".id: '" + id + "' is not allowed",
                    "use lower-case letters, digits, '-' and '_'");
        }
        String type = f.requiredString("type");
        if (type != null && !RunbookStep.TYPES.contains(type)) {
            String guess = Fields.closest(type, RunbookStep.TYPES);
            problems.add(
                    f.positionOf("type"),
                    where + ".type: unknown step type \"" + type + "\"",
                    guess != null ? "did you mean '" + guess + "'?" : "types: " + String.join(", ", RunbookStep.TYPES));
            type = null;
        }
        String title = f.string("title", id);
        Duration target = f.has("target") ? f.positiveDuration("target", null) : null;
        Duration timeout = f.positiveDuration(
                "timeout",
                "approval".equals(type) ? RunbookReader.DEFAULT_APPROVAL_TIMEOUT : RunbookReader.DEFAULT_STEP_TIMEOUT);
        Fields retries = f.child("retries");
        int attempts = retries.integer("attempts", 1, 1, 20);
        Duration backoff = retries.duration("backoff", Duration.ofSeconds(1));
        retries.finish();
        String when = f.string("when", null);
        Position whenAt = f.positionOf("when");
        RunbookStep.OnFailure onFailure = onFailure(f);
        boolean confirm = f.bool("confirm", false);
        // the type reads and checks its own keys (and reports unknown ones) when runbooks are compiled
        if (id == null || type == null) return null;
        return new RunbookStep(
                id,
                title,
                type,
                target,
                timeout,
                attempts,
                backoff,
                when,
                whenAt,
                onFailure,
                confirm,
                node,
                scope,
                where,
                node.position());
    }

    private RunbookStep.OnFailure onFailure(Fields f) {
        YamlNode n = f.node("on_failure");
        if (n == null) return RunbookStep.OnFailure.ABORT;
        if (n.isScalar() && (n.text().equals("abort") || n.text().equals("continue"))) {
            return n.text().equals("abort")
                    ? RunbookStep.OnFailure.ABORT
                    : new RunbookStep.OnFailure(RunbookStep.OnFailure.Kind.CONTINUE, null);
        }
        if (n.isMap() && n.entries().size() == 1) {
            Fields g = new Fields(n, where + ".on_failure", problems);
            String to = g.string("goto", null);
            String run = g.string("run", null);
            g.finish();
            if (to != null) return new RunbookStep.OnFailure(RunbookStep.OnFailure.Kind.GOTO, to);
            if (run != null) {
                if (!scope.runbooks().contains(run)) {
                    problems.add(
                            n.position(),
                            where + ".on_failure: no runbook '" + run + "'",
                            RunbookText.hint(run, scope.runbooks()));
                }
                return new RunbookStep.OnFailure(RunbookStep.OnFailure.Kind.RUN, run);
            }
            return RunbookStep.OnFailure.ABORT;
        }
        problems.add(
                n.position(),
                where + ".on_failure: expected abort, continue, { goto: STEP } or { run: RUNBOOK }, got "
                        + n.describe());
        return RunbookStep.OnFailure.ABORT;
    }
}
