package dev.opsdeck.runbook;

import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.probe.RunbookProbes;
import dev.opsdeck.runbook.steps.StepSettings;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A runbook with the settings each step's type read from its keys, by step id (unique within a runbook). */
public record CompiledRunbook(RunbookDef def, Map<String, StepSettings> settings) {

    StepSettings settings(RunbookStep step) {
        return settings.get(step.id());
    }

    /** The placeholders a step's {@code when:} may use: {@code [params.NAME]}, {@code [steps.ID.status]} and more. */
    Set<String> whenPlaceholders(List<RunbookStep> before) {
        Set<String> out = new LinkedHashSet<>();
        def.params().forEach(p -> out.add("PARAMS." + RunbookProbes.up(p.name())));
        for (RunbookStep s : before) {
            String prefix = "STEPS." + RunbookProbes.up(s.id()) + ".";
            for (String v : List.of("STATUS", "EXIT_CODE", "OUTPUT", "DURATION", "VALUE", "ROWS", "HTTP_STATUS"))
                out.add(prefix + v);
            StepSettings own = settings.get(s.id());
            if (own != null) own.values().forEach(k -> out.add(prefix + RunbookProbes.up(k)));
        }
        return out;
    }
}
