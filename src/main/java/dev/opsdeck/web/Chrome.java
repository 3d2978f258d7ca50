package dev.opsdeck.web;

import dev.opsdeck.config.Problem;
import dev.opsdeck.probe.Status;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What every page shows around its content: status totals, the rejected-config banner, the time
 * of rendering and the asset URLs. Part of every live fragment, so the header never goes stale.
 */
public record Chrome(
        Map<Status, Integer> totals,
        int services,
        int checks,
        List<String> configErrors,
        long nowMs,
        Assets.Urls assets,
        Viewer viewer) {

    static Chrome of(
            List<Status> services,
            int checks,
            List<Problem> configErrors,
            long nowMs,
            Assets.Urls assets,
            Viewer viewer) {
        Map<Status, Integer> totals = new EnumMap<>(Status.class);
        for (Status s : Status.values()) totals.put(s, 0);
        for (Status s : services) totals.merge(s, 1, Integer::sum);
        return new Chrome(
                totals,
                services.size(),
                checks,
                configErrors.stream().map(Problem::toString).toList(),
                nowMs,
                assets,
                viewer);
    }

    /** Statuses in the order an on-call engineer cares about them. */
    public List<Status> order() {
        return Ranking.STATUS_ORDER;
    }

    public int total(Status s) {
        return totals.getOrDefault(s, 0);
    }
}
