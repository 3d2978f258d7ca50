package dev.opsdeck.runbook;

import dev.opsdeck.config.Cycles;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.config.RunbookStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Finds runbooks that call themselves through {@code runbook} steps or {@code on_failure: { run: }}. */
final class RunbookCycles {
    private RunbookCycles() {}

    static void report(Map<String, CompiledRunbook> runbooks, Problems problems) {
        Cycles.find(
                runbooks.keySet().stream().sorted().toList(),
                id -> callees(runbooks.get(id)).stream()
                        .filter(runbooks::containsKey)
                        .toList(),
                cycle -> {
                    RunbookDef first = runbooks.get(cycle.get(0)).def();
                    problems.add(
                            first.position(),
                            "runbooks." + first.id() + ": runbooks call each other in a cycle: "
                                    + String.join(" -> ", cycle),
                            "a runbook may run another only if that one never leads back to it");
                });
    }

    private static List<String> callees(CompiledRunbook runbook) {
        List<String> out = new ArrayList<>();
        for (RunbookStep s : RunbookCompiler.all(runbook.def())) {
            if (runbook.settings(s) != null) out.addAll(runbook.settings(s).runbooks());
            if (s.onFailure().kind() == RunbookStep.OnFailure.Kind.RUN)
                out.add(s.onFailure().ref());
        }
        return out;
    }
}
