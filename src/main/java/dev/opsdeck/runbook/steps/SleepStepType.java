package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.Units;
import java.time.Duration;

/** {@code sleep}: waits a fixed time, or until the step's timeout if that comes first. */
final class SleepStepType implements StepType {
    @Override
    public String name() {
        return "sleep";
    }

    /** How long to sleep. */
    record Sleep(Duration duration) implements StepSettings {}

    @Override
    public StepSettings configure(RunbookStep step, Fields f, StepReading reading) {
        Duration d = f.has("duration") ? f.positiveDuration("duration", Duration.ofSeconds(1)) : null;
        if (d == null) reading.problems().add(f.position(), reading.where() + ": missing required key 'duration'");
        f.finish();
        return d == null ? null : new Sleep(d);
    }

    @Override
    public StepResult run(RunbookStep step, StepSettings settings, StepContext run, Duration timeout)
            throws InterruptedException {
        Duration d = ((Sleep) settings).duration();
        Thread.sleep(Math.min(d.toMillis(), timeout.toMillis()));
        return StepResult.ok("slept " + Units.format(d));
    }
}
