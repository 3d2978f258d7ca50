package dev.opsdeck.web;

import dev.opsdeck.deploy.Deploy;
import dev.opsdeck.deploy.DeployState;
import dev.opsdeck.deploy.DeployStore;
import dev.opsdeck.deploy.Deploys;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A service's deploys on its page: the short change log (the newest few, each linking to its deploy) and the markers
 * on its history charts (each deploy that started inside the chart's window, at the moment it started).
 */
final class ServiceDeploys {
    /** How many deploys the service page lists; the rest is one click away on {@code /deploys?service=NAME}. */
    static final int RECENT = 5;
    /** How many of the newest deploys the charts consider: more than any window shows in practice. */
    static final int SCANNED = 200;

    private final Deploys deploys;

    ServiceDeploys(Deploys deploys) {
        this.deploys = deploys;
    }

    /** The service's newest deploys, newest first; none when Opsdeck keeps no deploys (a page without them). */
    List<Deploy> of(String service) {
        if (deploys == null) return List.of();
        return deploys.list(new DeployStore.Filter(service, null, null, null, SCANNED, 0));
    }

    static List<ServicePage.DeployLine> recent(List<Deploy> newest, long now) {
        return newest.stream()
                .limit(RECENT)
                .map(d -> {
                    long at = d.endedMs() != null ? d.endedMs() : d.requestedMs();
                    return new ServicePage.DeployLine(
                            d.id(),
                            d.version(),
                            d.previousVersion() == null ? "" : d.previousVersion(),
                            d.state().label(),
                            DeployModels.pill(d.state().label()),
                            d.actor(),
                            Format.ago(at, now));
                })
                .toList();
    }

    /** The markers of the deploys that started in {@code [sinceMs, nowMs]}, on a chart of {@code window}'s slots. */
    static List<HistoryChart.Marker> markers(List<Deploy> newest, long sinceMs, long nowMs, ChartWindow window) {
        List<HistoryChart.Marker> out = new ArrayList<>();
        for (Deploy d : newest) {
            if (d.state() == DeployState.CANCELLED) continue; // changed nothing
            long at = d.startedMs() != null ? d.startedMs() : d.requestedMs();
            if (at < sinceMs || at > nowMs) continue;
            String kind = d.state() == DeployState.SUCCEEDED ? "ok" : d.state().isFinal() ? "failed" : "running";
            String title = "deploy " + d.version()
                    + (d.previousVersion() == null ? "" : " (was " + d.previousVersion() + ")") + " by " + d.actor()
                    + ", " + d.state().label() + ", started " + Format.utc(at);
            out.add(new HistoryChart.Marker(
                    String.format(Locale.ROOT, "%.3f", (at - sinceMs) / (double) window.slotMs),
                    kind,
                    title,
                    "/deploys/" + d.id()));
        }
        return out;
    }
}
