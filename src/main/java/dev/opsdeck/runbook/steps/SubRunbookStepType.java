package dev.opsdeck.runbook.steps;

import dev.opsdeck.config.Fields;
import dev.opsdeck.config.RunbookStep;
import dev.opsdeck.config.YamlNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code runbook}: runs another runbook, with parameters, as part of this run. */
final class SubRunbookStepType implements StepType {
    @Override
    public String name() {
        return "runbook";
    }

    /** The runbook to run and its parameters, templates kept as written. */
    record Sub(String runbook, Map<String, String> params) implements StepSettings {
        @Override
        public List<String> runbooks() {
            return List.of(runbook);
        }
    }

    @Override
    public StepSettings configure(RunbookStep step, Fields f, StepReading reading) {
        String runbook = f.requiredString("runbook");
        if (runbook != null && !reading.scope().runbooks().contains(runbook)) {
            reading.unknown(f, "runbook", runbook, "runbook", reading.scope().runbooks());
        }
        Map<String, String> values = new LinkedHashMap<>();
        YamlNode pn = f.node("params");
        f.stringMap("params")
                .forEach((k, v) -> values.put(k, reading.templated(pn.get(k), reading.where() + ".params." + k, v)));
        f.finish();
        return runbook == null ? null : new Sub(runbook, values);
    }

    @Override
    public StepResult run(RunbookStep step, StepSettings settings, StepContext run, Duration timeout) {
        Sub sub = (Sub) settings;
        Map<String, String> given = new LinkedHashMap<>();
        sub.params().forEach((k, v) -> given.put(k, StepTemplates.render(v, run.values())));
        return run.runRunbook(sub.runbook(), given);
    }
}
