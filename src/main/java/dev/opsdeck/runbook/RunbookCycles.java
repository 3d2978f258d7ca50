package dev.opsdeck.runbook;

import dev.opsdeck.config.Problems;
import dev.opsdeck.config.RunbookDef;
import dev.opsdeck.config.RunbookStep;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds runbooks that call themselves through {@code runbook} steps or {@code on_failure: { run: }}. */
final class RunbookCycles {
    private RunbookCycles() {}

    static void report(Map<String, CompiledRunbook> runbooks, Problems problems) {
        Set<String> done = new HashSet<>();
        Set<String> reported = new HashSet<>();
        for (String id : runbooks.keySet().stream().sorted().toList()) {
            visit(id, runbooks, new ArrayList<>(), done, reported, problems);
        }
    }

    private static void visit(
            String id,
            Map<String, CompiledRunbook> runbooks,
            List<String> path,
            Set<String> done,
            Set<String> reported,
            Problems problems) {
        int at = path.indexOf(id);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(id);
            // report each cycle once, at the runbook where it was entered
            if (reported.add(cycle.stream().sorted().distinct().toList().toString())) {
                RunbookDef first = runbooks.get(cycle.get(0)).def();
                problems.add(
                        first.position(),
                        "runbooks." + first.id() + ": runbooks call each other in a cycle: "
                                + String.join(" -> ", cycle),
                        "a runbook may run another only if that one never leads back to it");
            }
            return;
        }
        CompiledRunbook def = runbooks.get(id);
        if (def == null || done.contains(id)) return;
        path.add(id);
        for (String callee : callees(def)) visit(callee, runbooks, path, done, reported, problems);
        path.remove(path.size() - 1);
        done.add(id);
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
