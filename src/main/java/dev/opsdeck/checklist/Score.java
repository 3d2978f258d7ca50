package dev.opsdeck.checklist;

import dev.opsdeck.config.ChecklistDef;
import java.util.Map;

/**
 * A checklist's score and state from its items' results. A required item weighs {@value #REQUIRED}, a recommended
 * one {@value #RECOMMENDED}; the score is the proven weight (passed, attested, waived) over the total weight, as a
 * whole percentage rounded down (100 for a checklist without items). Ready: every required item is proven.
 */
public record Score(int percent, boolean ready) {
    public static final int REQUIRED = 2, RECOMMENDED = 1;

    static Score of(ChecklistDef def, Map<String, ItemResult> results) {
        int total = 0, proven = 0;
        boolean ready = true;
        for (ChecklistDef.Item item : def.items()) {
            boolean required = item.severity() == ChecklistDef.Severity.REQUIRED;
            int weight = required ? REQUIRED : RECOMMENDED;
            ItemResult r = results.get(item.id());
            boolean ok = r != null && r.state().proven();
            total += weight;
            if (ok) proven += weight;
            else if (required) ready = false;
        }
        return new Score(total == 0 ? 100 : proven * 100 / total, ready);
    }
}
