package dev.opsdeck.runbook;

import java.util.Map;

/** What one attempt of a step produced; {@code message} says precisely why it failed. */
record StepResult(boolean ok, Integer exitCode, String output, Map<String, String> values, String message) {
    static StepResult failed(String message) {
        return new StepResult(false, null, null, Map.of(), message);
    }

    static StepResult ok(String message) {
        return new StepResult(true, null, null, Map.of(), message);
    }
}
