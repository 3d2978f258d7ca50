package dev.opsdeck.monitor;

import dev.opsdeck.config.ServiceDef;
import dev.opsdeck.probe.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the root cause of a failure along {@code depends_on}: when a service is not up and some of
 * its (transitive) dependencies are down, the deepest down dependencies are what it is impacted by.
 */
final class DependencyView {
    private DependencyView() {}

    static List<String> impactedBy(String service, Map<String, ServiceDef> services, Map<String, Status> statuses) {
        Set<String> roots = new LinkedHashSet<>();
        collect(service, services, statuses, new HashSet<>(), roots);
        roots.remove(service);
        return new ArrayList<>(roots);
    }

    /** Adds to {@code roots} the down dependencies of {@code name} that have no down dependency themselves. */
    private static void collect(String name, Map<String, ServiceDef> services, Map<String, Status> statuses,
                                Set<String> seen, Set<String> roots) {
        ServiceDef def = services.get(name);
        if (def == null || !seen.add(name)) return;
        for (String dep : def.dependencyNames()) {
            if (statuses.get(dep) == Status.DOWN) {
                Set<String> deeper = new LinkedHashSet<>();
                collect(dep, services, statuses, seen, deeper);
                if (deeper.isEmpty()) roots.add(dep);
                else roots.addAll(deeper);
            } else {
                collect(dep, services, statuses, seen, roots);
            }
        }
    }
}
