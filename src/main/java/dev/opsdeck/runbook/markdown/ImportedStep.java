package dev.opsdeck.runbook.markdown;

import java.util.Map;

/**
 * A step of an imported runbook: a {@code shell} step (script, environment from parameters, asks for
 * confirmation) or an {@code approval} step (a checklist a person confirms). {@code line} is where it came from.
 */
public record ImportedStep(String id, String title, String type, String run, Map<String, String> env, String prompt,
        int line) {

    static ImportedStep shell(String id, String title, String run, Map<String, String> env, int line) {
        return new ImportedStep(id, title, "shell", run, env, null, line);
    }

    static ImportedStep approval(String id, String title, String prompt, int line) {
        return new ImportedStep(id, title, "approval", null, Map.of(), prompt, line);
    }
}
