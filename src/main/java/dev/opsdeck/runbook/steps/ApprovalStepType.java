package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.RunbookStep;
import java.time.Duration;

/** {@code approval}: the run waits until a person with the step's role approves or rejects. */
final class ApprovalStepType implements StepType {
    @Override
    public String name() {
        return "approval";
    }

    @Override
    public StepResult run(RunbookStep step, StepContext run, Duration timeout) throws InterruptedException {
        return run.awaitApproval(step, (RunbookStep.Approval) step.action());
    }

    @Override
    public boolean decides() {
        return true;
    }
}
