package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.RunbookText;
import java.time.Duration;

/** {@code ssh}: a /bin/sh script on an inventory host, with the environment a local one gets from its step. */
final class SshStepType implements StepType {
    @Override
    public String name() {
        return "ssh";
    }

    @Override
    public StepSettings configure(RunbookStep step, Fields f, StepReading reading) {
        String host = f.requiredString("host");
        if (host != null && !reading.scope().hosts().contains(host)) {
            reading.problems()
                    .add(
                            f.positionOf("host"),
                            reading.where() + ".host: no host '" + host + "' in inventory:",
                            RunbookText.hint(host, reading.scope().hosts()));
        }
        return ShellStepType.read(f, reading, host);
    }

    @Override
    public StepResult run(RunbookStep step, StepSettings settings, StepContext run, Duration timeout)
            throws InterruptedException {
        ShellStepType.Shell sh = (ShellStepType.Shell) settings;
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
    public long maxOutput(StepSettings settings) {
        return ((ShellStepType.Shell) settings).maxOutput();
    }
}
