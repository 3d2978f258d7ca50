package dev.opsdeck.web;

import dev.opsdeck.blueprint.ConfigWatcher;
import dev.opsdeck.monitor.MonitorEngine;
import dev.opsdeck.monitor.ServiceStatus;
import dev.opsdeck.monitor.ServiceSummary;
import dev.opsdeck.monitor.UptimeBoard;
import dev.opsdeck.store.HistoryRepository;
import java.time.Clock;
import java.util.List;

/** What the page builders share: the live engine (and its shared snapshots), the store, the in-memory uptimes, the config watcher, the clock, the assets. */
record Pages(
        MonitorEngine engine,
        StatusSnapshots snapshots,
        HistoryRepository history,
        UptimeBoard uptime,
        ConfigWatcher watcher,
        Clock clock,
        Assets assets) {

    /** The current view of all services, shared briefly between concurrent requests. */
    List<ServiceStatus> services() {
        return snapshots.services();
    }

    /** Every service's name, description and status only, shared briefly like {@link #services()}. */
    List<ServiceSummary> summaries() {
        return snapshots.summaries();
    }

    Chrome chrome(List<ServiceStatus> all, long nowMs, Viewer viewer) {
        return Chrome.of(
                all.stream().map(ServiceStatus::status).toList(),
                engine.checkCount(),
                watcher.lastErrors(),
                nowMs,
                assets.urls(),
                viewer);
    }

    Chrome chromeOf(List<ServiceSummary> all, long nowMs, Viewer viewer) {
        return Chrome.of(
                all.stream().map(ServiceSummary::status).toList(),
                engine.checkCount(),
                watcher.lastErrors(),
                nowMs,
                assets.urls(),
                viewer);
    }
}
