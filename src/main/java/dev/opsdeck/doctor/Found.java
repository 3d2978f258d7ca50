package dev.opsdeck.doctor;

import dev.opsdeck.checklist.Proof;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one doctor item found: the outcome it asks for, what was found ({@code detail}, never a secret's value) and
 * the fix (the YAML to write or the command to run; null when there is nothing to do). WARN on a required item means
 * it could not be looked at here; on an advisory item, that the advice applies.
 */
record Found(Finding.Outcome outcome, String detail, String fix) {
    static Found pass(String detail) {
        return new Found(Finding.Outcome.PASS, detail, null);
    }

    static Found fail(String detail, String fix) {
        return new Found(Finding.Outcome.FAIL, detail, fix);
    }

    static Found warn(String detail, String fix) {
        return new Found(Finding.Outcome.WARN, detail, fix);
    }

    /** As the checklist engine takes it: the fix is kept as evidence, so the Checklists page and exports show it. */
    Proof proof() {
        Map<String, Object> evidence = new LinkedHashMap<>();
        if (fix != null) evidence.put("fix", fix);
        return switch (outcome) {
            case PASS -> Proof.ok(detail, evidence);
            case FAIL -> Proof.failed(detail, evidence);
            // a warning whatever the item's severity: advice, or a required item that could not be looked at here
            case WARN -> Proof.unchecked(detail, evidence);
        };
    }
}
