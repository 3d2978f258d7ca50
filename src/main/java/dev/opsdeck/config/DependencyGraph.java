package dev.opsdeck.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validates {@code depends_on}: every name must exist and the graph must have no cycle. */
final class DependencyGraph {
    private DependencyGraph() {}

    static void validate(List<ServiceDef> services, Problems problems) {
        Map<String, ServiceDef> byName = new HashMap<>();
        services.forEach(s -> byName.put(s.name(), s));
        for (ServiceDef s : services) {
            for (YamlNode dep : s.dependsOn()) {
                if (!byName.containsKey(dep.text())) {
                    String guess = Fields.closest(dep.text(), byName.keySet());
                    problems.add(
                            dep.position(),
                            "services." + s.name() + ".depends_on: unknown service '" + dep.text() + "'",
                            guess != null ? "did you mean '" + guess + "'?" : "declare it under services:");
                } else if (dep.text().equals(s.name())) {
                    problems.add(
                            dep.position(), "services." + s.name() + ".depends_on: a service cannot depend on itself");
                }
            }
        }
        Set<String> done = new HashSet<>();
        Set<String> reported = new HashSet<>();
        for (ServiceDef s : services) {
            findCycle(s, byName, new ArrayList<>(), done, reported, problems);
        }
    }

    private static void findCycle(
            ServiceDef s,
            Map<String, ServiceDef> byName,
            List<String> path,
            Set<String> done,
            Set<String> reported,
            Problems problems) {
        if (done.contains(s.name())) {
            return;
        }
        int at = path.indexOf(s.name());
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(s.name());
            if (reported.add(String.join(",", cycle.stream().sorted().toList()))) {
                problems.add(
                        s.position(),
                        "depends_on forms a cycle: " + String.join(" -> ", cycle),
                        "remove one of these dependencies");
            }
            return;
        }
        path.add(s.name());
        for (String dep : s.dependencyNames()) {
            ServiceDef next = byName.get(dep);
            if (next != null && next != s) {
                findCycle(next, byName, path, done, reported, problems);
            }
        }
        path.remove(path.size() - 1);
        done.add(s.name());
    }
}
