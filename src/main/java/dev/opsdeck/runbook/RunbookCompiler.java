package dev.opsdeck.runbook;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.condition.ConditionParser;
import dev.opsdeck.probe.condition.ConditionSyntaxException;
import dev.opsdeck.runbook.steps.StepReading;
import dev.opsdeck.runbook.steps.StepSettings;
import dev.opsdeck.runbook.steps.StepTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lets each step's type read its own keys, checks every step's {@code when:} against what the steps before it
 * yield, and finds runbooks that run each other in a cycle. Every problem goes to the caller's {@link Problems}.
 */
public final class RunbookCompiler {
    private final StepTypes stepTypes;
    private final CheckTypes checkTypes;

    public RunbookCompiler(StepTypes stepTypes, CheckTypes checkTypes) {
        this.stepTypes = stepTypes;
        this.checkTypes = checkTypes;
    }

    /** Every runbook of {@code config}, by id. */
    public Map<String, CompiledRunbook> compileAll(OpsdeckConfig config, Problems problems) {
        Set<String> checks = config.checks().stream().map(CheckDef::id).collect(Collectors.toSet());
        Map<String, CompiledRunbook> out = new LinkedHashMap<>();
        config.runbooks().runbooks().forEach((id, def) -> out.put(id, compile(def, checks, problems)));
        RunbookCycles.report(out, problems);
        return Map.copyOf(out);
    }

    private CompiledRunbook compile(RunbookDef def, Set<String> checks, Problems problems) {
        Map<String, StepSettings> settings = new HashMap<>();
        CompiledRunbook compiled = new CompiledRunbook(def, settings);
        List<RunbookStep> before = new ArrayList<>();
        for (RunbookStep step : all(def)) {
            if (step.when() != null) {
                try {
                    ConditionParser.parse(step.when(), compiled.whenPlaceholders(before));
                } catch (ConditionSyntaxException e) {
                    problems.add(
                            step.whenPosition(),
                            "runbooks." + def.id() + " step " + step.id() + ".when: bad condition: " + e.getMessage(),
                            e.hint());
                }
            }
            StepSettings own = stepTypes
                    .get(step.type())
                    .configure(step, step.typeKeys(problems), new StepReading(problems, def, step, checkTypes, checks));
            if (own != null) settings.put(step.id(), own);
            before.add(step);
        }
        return new CompiledRunbook(def, Map.copyOf(settings));
    }

    /** The main steps, then the rollback steps: the order a step's {@code when:} may look back over. */
    static List<RunbookStep> all(RunbookDef def) {
        List<RunbookStep> all = new ArrayList<>(def.steps());
        all.addAll(def.rollback());
        return all;
    }
}
