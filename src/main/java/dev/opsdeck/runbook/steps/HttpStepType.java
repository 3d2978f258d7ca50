package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Problems;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.RunbookProbes;
import java.time.Duration;

/** {@code http}: one request, judged as an http check with the step's conditions. */
final class HttpStepType implements StepType {
    @Override
    public String name() {
        return "http";
    }

    @Override
    public StepResult run(RunbookStep step, StepContext run, Duration timeout) {
        return request(step, (RunbookStep.Http) step.action(), run, timeout);
    }

    /** The request with its templates filled in, as a check made for this one call. */
    static StepResult request(RunbookStep step, RunbookStep.Http http, StepContext run, Duration timeout) {
        Problems problems = new Problems();
        CompiledCheck check = RunbookProbes.http(
                run.checkTypes(),
                run.runbookId(),
                step,
                StepTemplates.render(http.spec(), run.values()),
                http.conditions(),
                timeout,
                problems);
        if (check == null || !problems.isEmpty()) {
            return StepResult.failed("bad request settings: "
                    + problems.sorted().stream().map(p -> p.message()).toList());
        }
        try {
            return CheckStepType.judged(check.run());
        } finally {
            check.close();
        }
    }
}
