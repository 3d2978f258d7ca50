package dev.opsdeck.alert;

import dev.opsdeck.config.AlertDefaults;
import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.ServiceDef;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How long a dependency-aware alert of each service holds before it pages on its own while none of its
 * dependencies is known down. Checks run on their own schedules, so when a database dies its dependents' checks
 * may fail before the database's own check does; without a wait they would page as if each were the cause.
 * Worked out ({@code alerts.defaults.dependency_wait: auto}) as the time the slowest check among the service's
 * dependencies (all of them, along {@code depends_on}) needs to judge "down" — its interval times its failure
 * threshold, plus its timeout — at most {@link AlertDefaults#MAX_AUTO_DEPENDENCY_WAIT}. A service without
 * dependencies never waits: a root cause pages at once.
 */
final class DependencyWaits {
    private DependencyWaits() {}

    /** Milliseconds per service name; services without dependencies are left out (they wait 0). */
    static Map<String, Long> of(List<ServiceDef> services, Duration configured) {
        Map<String, ServiceDef> byName = new HashMap<>();
        services.forEach(s -> byName.put(s.name(), s));
        Map<String, Long> out = new HashMap<>();
        for (ServiceDef s : services) {
            if (s.dependencyNames().isEmpty()) continue;
            long wait = configured != null
                    ? configured.toMillis()
                    : Math.min(slowestDetection(s, byName), AlertDefaults.MAX_AUTO_DEPENDENCY_WAIT.toMillis());
            if (wait > 0) out.put(s.name(), wait);
        }
        return Map.copyOf(out);
    }

    private static long slowestDetection(ServiceDef service, Map<String, ServiceDef> byName) {
        long slowest = 0;
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(service.dependencyNames());
        while (!todo.isEmpty()) {
            ServiceDef dep = byName.get(todo.pop());
            if (dep == null || !seen.add(dep.name())) continue;
            for (CheckDef c : dep.checks()) {
                slowest = Math.max(
                        slowest,
                        c.interval().toMillis() * c.failureThreshold()
                                + c.timeout().toMillis());
            }
            todo.addAll(dep.dependencyNames());
        }
        return slowest;
    }
}
