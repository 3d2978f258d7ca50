package dev.opsdeck.web;

import dev.opsdeck.monitor.MonitorEngine;
import dev.opsdeck.monitor.ServiceStatus;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Shares one {@link MonitorEngine#services()} view between requests for a moment. Computing it walks
 * every check (about 50 ms at 10,000 checks), and after each live event every open page asks at
 * once. The view is reused only while no check has changed state since it was taken and for at
 * most {@link #MAX_AGE_MS}: a page fetched because of a state change always sees that change.
 */
final class StatusSnapshots {
    static final long MAX_AGE_MS = 1_000;

    private record Snapshot(List<ServiceStatus> services, long stateVersion, long takenNanos) {}

    private final MonitorEngine engine;
    private final LongSupplier stateVersion;
    private volatile Snapshot last;

    StatusSnapshots(MonitorEngine engine, LongSupplier stateVersion) {
        this.engine = engine;
        this.stateVersion = stateVersion;
    }

    List<ServiceStatus> services() {
        long version = stateVersion.getAsLong(); // read first: a change during the walk makes the next call recompute
        Snapshot s = last;
        if (s != null && s.stateVersion == version && System.nanoTime() - s.takenNanos < MAX_AGE_MS * 1_000_000) {
            return s.services;
        }
        List<ServiceStatus> fresh = engine.services();
        last = new Snapshot(fresh, version, System.nanoTime());
        return fresh;
    }
}
