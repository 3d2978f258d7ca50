package dev.opsdeck.alert;

import dev.opsdeck.monitor.MonitorEngine;
import dev.opsdeck.monitor.ServiceStatus;
import java.util.List;

/**
 * The monitor's root-cause view, asked only when an alert fires (never per result): the down dependencies a
 * service is impacted by along {@code depends_on}, empty when it is itself the cause or is up.
 */
@FunctionalInterface
public interface RootCauses {
    RootCauses NONE = service -> List.of();

    List<String> impactedBy(String service);

    /** The engine's current view (the same answer as {@link ServiceStatus#impactedBy()}, for one service). */
    static RootCauses of(MonitorEngine engine) {
        return engine::impactedBy;
    }
}
