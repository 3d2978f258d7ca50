package dev.opsdeck.monitor;

import dev.opsdeck.config.ServiceDef;
import dev.opsdeck.probe.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds the root cause of a failure along {@code depends_on}: when a service is not up and some of
 * its (transitive) dependencies are down, the deepest down dependencies are what it is impacted by.
 */
final class DependencyView {
    private DependencyView() {}

    static List<String> impactedBy(
            String service, Map<String, ServiceDef> services, Function<String, Status> statuses) {
        Set<String> roots = new LinkedHashSet<>(roots(service, services, statuses, new HashMap<>()));
        roots.remove(service);
        return new ArrayList<>(roots);
    }

    /**
     * The down dependencies of {@code name} that have no down dependency themselves. Memoized per service
     * (not merely "seen"), so a dependency shared by two paths gives the same answer on both.
     */
    private static Set<String> roots(
            String name,
            Map<String, ServiceDef> services,
            Function<String, Status> statuses,
            Map<String, Set<String>> memo) {
        Set<String> known = memo.get(name);
        if (known != null) return known;
        Set<String> roots = new LinkedHashSet<>();
        memo.put(name, roots); // guards against cycles, which the config loader already rejects
        ServiceDef def = services.get(name);
        if (def == null) return roots;
        for (String dep : def.dependencyNames()) {
            Set<String> deeper = roots(dep, services, statuses, memo);
            if (statuses.apply(dep) == Status.DOWN && deeper.isEmpty()) roots.add(dep);
            else roots.addAll(deeper);
        }
        return roots;
    }
}
