package dev.opsdeck.web;

import dev.opsdeck.monitor.ServiceStatus;
import dev.opsdeck.monitor.ServiceStatus.CheckStatus;
import dev.opsdeck.probe.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the service page: the service's checks, one history chart per check, and its neighbours. */
final class ServiceBuilder {
    private final Pages pages;
    private final ServiceDeploys deploys;

    ServiceBuilder(Pages pages, ServiceDeploys deploys) {
        this.pages = pages;
        this.deploys = deploys;
    }

    /** Empty when no service has that name (any more: a reload may have removed it). */
    Optional<ServicePage> build(String name, ChartWindow window, Viewer viewer) {
        List<ServiceStatus> all = pages.services();
        long now = pages.clock().millis();
        Map<String, Status> statuses = new HashMap<>();
        ServiceStatus found = null;
        for (ServiceStatus s : all) {
            statuses.put(s.name(), s.status());
            if (s.name().equals(name)) found = s;
        }
        if (found == null) return Optional.empty();

        HistoryReader history = new HistoryReader(pages.history());
        long since = Slots.ending(now, window.slotMs, window.slots).startMs;
        var newest = deploys.of(name);
        var markers = ServiceDeploys.markers(newest, since, now, window);
        List<ServicePage.CheckView> checks = new ArrayList<>();
        for (CheckStatus c : found.checks()) {
            HistoryChart chart = HistoryChart.of(history.buckets(c.id(), window.resolution, since), window, now)
                    .withMarkers(markers);
            checks.add(new ServicePage.CheckView(
                    c,
                    chart,
                    Format.ago(c.lastAtMs(), now),
                    Format.utc(c.lastAtMs()),
                    Format.ago(c.sinceMs(), now),
                    Format.values(c.values())));
        }
        String base = Links.service(found.name());
        List<ServicePage.WindowLink> windows = Arrays.stream(ChartWindow.values())
                .map(w -> new ServicePage.WindowLink(w.param(), base + "?window=" + w.param(), w == window))
                .toList();
        List<String> dependents = all.stream()
                .filter(s -> s.dependsOn().contains(name))
                .map(ServiceStatus::name)
                .toList();
        return Optional.of(new ServicePage(
                pages.chrome(all, now, viewer),
                found,
                checks,
                window,
                windows,
                links(found.dependsOn(), statuses),
                links(found.impactedBy(), statuses),
                links(dependents, statuses),
                "/fragments" + base + "?window=" + window.param(),
                history.problem(),
                ServiceDeploys.recent(newest, now),
                Links.deploysOf(found.name())));
    }

    private static List<ServicePage.Link> links(List<String> names, Map<String, Status> statuses) {
        return names.stream()
                .map(n -> new ServicePage.Link(n, Links.service(n), statuses.getOrDefault(n, Status.UNKNOWN)))
                .toList();
    }

    /** For the 404 page, which still shows the header totals. */
    Chrome chrome(Viewer viewer) {
        return pages.chrome(pages.services(), pages.clock().millis(), viewer);
    }
}
