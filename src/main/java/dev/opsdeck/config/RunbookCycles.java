package dev.opsdeck.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds runbooks that call themselves through {@code runbook} steps or {@code on_failure: { run: }}. */
final class RunbookCycles {
    private RunbookCycles() {}

    static void report(Map<String, RunbookDef> runbooks, Problems problems) {
        Set<String> done = new HashSet<>();
        Set<String> reported = new HashSet<>();
        for (String id : runbooks.keySet().stream().sorted().toList()) {
            visit(id, runbooks, new ArrayList<>(), done, reported, problems);
        }
    }

    private static void visit(
            String id,
            Map<String, RunbookDef> runbooks,
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
                RunbookDef first = runbooks.get(cycle.get(0));
                problems.add(
                        first.position(),
                        "runbooks." + first.id() + ": runbooks call each other in a cycle: "
                                + String.join(" -> ", cycle),
                        "a runbook may run another only if that one never leads back to it");
            }
            return;
        }
        RunbookDef def = runbooks.get(id);
        if (def == null || done.contains(id)) return;
        path.add(id);
        for (String callee : callees(def)) visit(callee, runbooks, path, done, reported, problems);
        path.remove(path.size() - 1);
        done.add(id);
    }

    static List<String> callees(RunbookDef def) {
        List<String> out = new ArrayList<>();
        List<RunbookStep> all = new ArrayList<>(def.steps());
        all.addAll(def.rollback());
        for (RunbookStep s : all) {
            if (s.action() instanceof RunbookStep.Sub sub) out.add(sub.runbook());
            if (s.onFailure().kind() == RunbookStep.OnFailure.Kind.RUN)
                out.add(s.onFailure().ref());
        }
        return out;
    }
}
