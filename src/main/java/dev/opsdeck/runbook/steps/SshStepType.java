package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.RunbookStep;
import java.time.Duration;

/** {@code ssh}: a /bin/sh script on an inventory host, with the environment a local one gets from its step. */
final class SshStepType implements StepType {
    @Override
    public String name() {
        return "ssh";
    }

    @Override
    public StepResult run(RunbookStep step, StepContext run, Duration timeout) throws InterruptedException {
        RunbookStep.Shell sh = (RunbookStep.Shell) step.action();
        return SshStep.run(
                run.ssh(),
                run.host(sh.host()),
                sh,
                ShellStepType.stepEnv(sh, run),
                StepTemplates.render(sh.args(), run.values()),
                timeout,
                run.output());
    }

    @Override
    public long maxOutput(RunbookStep step) {
        return ((RunbookStep.Shell) step.action()).maxOutput();
    }
}
