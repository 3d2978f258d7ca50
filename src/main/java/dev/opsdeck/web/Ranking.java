package dev.opsdeck.web;

import dev.opsdeck.monitor.ServiceSummary;
import dev.opsdeck.probe.Status;
import java.util.Comparator;
import java.util.List;

/** Problems first: down, degraded, unknown, then up; by name within a status so rows do not jump around. */
final class Ranking {
    static final List<Status> STATUS_ORDER = List.of(Status.DOWN, Status.DEGRADED, Status.UNKNOWN, Status.UP);

    static final Comparator<ServiceSummary> PROBLEMS_FIRST = Comparator.comparingInt(
                    (ServiceSummary s) -> STATUS_ORDER.indexOf(s.status()))
            .thenComparing(ServiceSummary::name);

    private Ranking() {}
}
