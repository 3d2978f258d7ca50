package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.RunbookStep;
import java.time.Duration;
import java.util.Set;

/** {@code approval}: the run waits until a person with the step's role approves or rejects. */
final class ApprovalStepType implements StepType {
    @Override
    public String name() {
        return "approval";
    }

    @Override
    public StepSettings configure(RunbookStep step, Fields f, StepReading reading) {
        String role = f.oneOf("role", "operator", Set.of("responder", "operator", "admin"));
        boolean fourEyes = f.bool("four_eyes", false);
        String prompt = f.string("prompt", "Approve to continue");
        f.finish();
        return new Approval(role, fourEyes, prompt);
    }

    @Override
    public StepResult run(RunbookStep step, StepSettings settings, StepContext run, Duration timeout)
            throws InterruptedException {
        return run.awaitApproval(step, (Approval) settings);
    }

    @Override
    public boolean decides() {
        return true;
    }
}
