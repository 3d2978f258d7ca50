package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.RunbookStep;
import java.time.Duration;

/**
 * One kind of runbook step ({@code shell}, {@code http}, {@code approval}, ...): how it reads its own keys and how one
 * attempt of it runs. Adding a kind means one new class registered in {@link StepTypes}.
 */
public interface StepType {
    /** What a step's {@code type:} says. */
    String name();

    /**
     * Reads the type's own keys of {@code step}; {@code own} has the common keys marked as read, so finishing it
     * reports the keys no one knows. Null when the settings are wrong (each problem reported to {@code reading}).
     */
    StepSettings configure(RunbookStep step, Fields own, StepReading reading);

    /**
     * Runs one attempt of {@code step} with the {@code settings} {@link #configure} made; retries, {@code when} and
     * {@code on_failure} are the run's business. {@code timeout}: the step's own, cut to what is left of the run's.
     */
    StepResult run(RunbookStep step, StepSettings settings, StepContext run, Duration timeout)
            throws InterruptedException;

    /** How many characters of output the step keeps while it runs. */
    default long maxOutput(StepSettings settings) {
        return Output.DEFAULT_LIMIT;
    }

    /** Whether the step is itself a person's decision, so {@code confirm: true} asks for nothing more. */
    default boolean decides() {
        return false;
    }
}
