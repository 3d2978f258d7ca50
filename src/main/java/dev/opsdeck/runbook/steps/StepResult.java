package dev.opsdeck.runbook.steps;

import java.util.Map;

/**
 * What a step produced; {@code message} says precisely why it failed. {@code attempts}: how many tries it took, the
 * last one being this result.
 */
public record StepResult(
        boolean ok, Integer exitCode, String output, Map<String, String> values, String message, int attempts) {
    /** The result of a single attempt. */
    StepResult(boolean ok, Integer exitCode, String output, Map<String, String> values, String message) {
        this(ok, exitCode, output, values, message, 1);
    }

    public static StepResult failed(String message) {
        return new StepResult(false, null, null, Map.of(), message);
    }

    public static StepResult ok(String message) {
        return new StepResult(true, null, null, Map.of(), message);
    }

    /** This result as the last of {@code attempts} tries; the message says which try it was when there were more. */
    public StepResult afterAttempts(int attempts) {
        String said = attempts == 1 ? message : message + " (attempt " + attempts + ")";
        return new StepResult(ok, exitCode, output, values, said, attempts);
    }

    public StepResult withMessage(String message) {
        return new StepResult(ok, exitCode, output, values, message, attempts);
    }
}
