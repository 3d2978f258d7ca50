package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.Units;
import java.time.Duration;

/** {@code sleep}: waits a fixed time, or until the step's timeout if that comes first. */
final class SleepStepType implements StepType {
    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public StepResult run(RunbookStep step, StepContext run, Duration timeout) throws InterruptedException {
        Duration d = ((RunbookStep.Sleep) step.action()).duration();
        Thread.sleep(Math.min(d.toMillis(), timeout.toMillis()));
        return StepResult.ok("slept " + Units.format(d));
    }
}
