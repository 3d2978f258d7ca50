package dev.opsdeck.web;

import dev.opsdeck.blueprint.ConfigWatcher;
import dev.opsdeck.monitor.MonitorEngine;
import dev.opsdeck.monitor.ServiceStatus;
import dev.opsdeck.store.HistoryRepository;
import java.time.Clock;
import java.util.List;

/** What the page builders share: the live engine (and its shared snapshots), the store, the config watcher, the clock, the assets. */
record Pages(
        MonitorEngine engine,
        StatusSnapshots snapshots,
        HistoryRepository history,
        ConfigWatcher watcher,
        Clock clock,
        Assets assets) {

    /** The current view of all services, shared briefly between concurrent requests. */
    List<ServiceStatus> services() {
        return snapshots.services();
    }

    Chrome chrome(List<ServiceStatus> all, long nowMs, Viewer viewer) {
        return Chrome.of(all, engine.checkCount(), watcher.lastErrors(), nowMs, assets.urls(), viewer);
    }
}
