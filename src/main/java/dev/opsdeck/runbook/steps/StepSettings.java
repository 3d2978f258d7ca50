package dev.opsdeck.runbook.steps;

import java.util.List;

/** What a step type read from a step's own keys: what its runs use. */
public interface StepSettings {
    /** Names of the values the step yields beyond every step's own (status, output, ...), for later steps' {@code when:}. */
    default List<String> values() {
        return List.of();
    }

    /** The runbooks the step runs, so runbooks that run each other in a cycle are found before any run. */
    default List<String> runbooks() {
        return List.of();
    }
}
