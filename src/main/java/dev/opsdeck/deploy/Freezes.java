package dev.opsdeck.deploy;

import dev.opsdeck.config.DeployDef;
import dev.opsdeck.config.ServiceDef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether deploys of a service are frozen now: by one of its configured windows, or (with {@code freeze.incidents})
 * by an open P1/P2 incident on it. A freeze refuses a deploy unless the request overrides it with a reason.
 */
final class Freezes {
    private final DeploySources sources;
    private final Clock clock;

    Freezes(DeploySources sources, Clock clock) {
        this.sources = sources;
        this.clock = clock;
    }

    /**
     * The freeze that {@code req} deploys through (null when there is none); refused when the service is frozen and
     * the request does not override it with a reason.
     */
    String check(ServiceDef s, Deploys.Request req) {
        String frozen = why(s);
        if (frozen == null) return null;
        if (!req.overrideFreeze()) {
            throw new DeployRefused(
                    DeployRefused.Reason.FROZEN,
                    "deploys of " + s.name() + " are frozen: " + frozen
                            + "; to deploy anyway, override the freeze with a reason");
        }
        if (req.reason() == null || req.reason().isBlank()) {
            throw new DeployRefused(
                    DeployRefused.Reason.INVALID, "overriding the freeze (" + frozen + ") needs a reason");
        }
        return frozen;
    }

    /** Why deploys of the service are frozen now; null when they are not. */
    private String why(ServiceDef s) {
        List<String> why = new ArrayList<>();
        for (DeployDef.Window w : s.deploy().freeze().windows()) {
            if (w.covers(clock.instant())) why.add("freeze window " + w.name());
        }
        if (s.deploy().freeze().incidents()) {
            List<String> open = sources.openUrgentIncidents(s.name());
            if (!open.isEmpty()) why.add("open incident " + String.join(", ", open));
        }
        return why.isEmpty() ? null : String.join("; ", why);
    }
}
