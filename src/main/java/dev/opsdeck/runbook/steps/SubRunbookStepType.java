package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.RunbookStep;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code runbook}: runs another runbook, with parameters, as part of this run. */
final class SubRunbookStepType implements StepType {
    @Override
    public String name() {
        return "runbook";
    }

    @Override
    public StepResult run(RunbookStep step, StepContext run, Duration timeout) {
        RunbookStep.Sub sub = (RunbookStep.Sub) step.action();
        Map<String, String> given = new LinkedHashMap<>();
        sub.params().forEach((k, v) -> given.put(k, StepTemplates.render(v, run.values())));
        return run.runRunbook(sub.runbook(), given);
    }
}
