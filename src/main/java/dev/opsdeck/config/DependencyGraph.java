package dev.opsdeck.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        Cycles.find(
                services.stream().map(ServiceDef::name).toList(),
                name -> byName.get(name).dependencyNames().stream()
                        .filter(dep -> byName.containsKey(dep) && !dep.equals(name))
                        .toList(),
                cycle -> problems.add(
                        byName.get(cycle.get(0)).position(),
                        "depends_on forms a cycle: " + String.join(" -> ", cycle),
                        "remove one of these dependencies"));
    }
}
