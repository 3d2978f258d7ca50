package dev.opsdeck.runbook.markdown;

import java.util.Map;

/**
 * A step of an imported runbook: a {@code shell} step (script, environment from parameters, asks for
 * confirmation) or an {@code approval} step (a checklist a person confirms). {@code line} is where it came from.
 * {@code when} (a condition or null) runs it only on one alternative or after an earlier step failed;
 * {@code target} (a duration or null) comes from the duration in its section's heading; {@code continueOnFailure}
 * lets the run go on to the steps that handle this one's failure.
 */
public record ImportedStep(
        String id,
        String title,
        String type,
        String run,
        Map<String, String> env,
        String prompt,
        int line,
        String when,
        String target,
        boolean continueOnFailure) {

    static ImportedStep shell(String id, String title, String run, Map<String, String> env, int line) {
        return new ImportedStep(id, title, "shell", run, env, null, line, null, null, false);
    }

    static ImportedStep approval(String id, String title, String prompt, int line) {
        return new ImportedStep(id, title, "approval", null, Map.of(), prompt, line, null, null, false);
    }

    ImportedStep when(String condition) {
        return new ImportedStep(id, title, type, run, env, prompt, line, condition, target, continueOnFailure);
    }

    ImportedStep target(String duration) {
        return new ImportedStep(id, title, type, run, env, prompt, line, when, duration, continueOnFailure);
    }

    ImportedStep continuing() {
        return new ImportedStep(id, title, type, run, env, prompt, line, when, target, true);
    }
}
