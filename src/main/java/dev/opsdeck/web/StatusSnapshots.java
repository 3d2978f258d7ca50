package dev.opsdeck.web;

import dev.opsdeck.monitor.MonitorEngine;
import dev.opsdeck.monitor.ServiceStatus;
import dev.opsdeck.monitor.ServiceSummary;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Shares one view of every service between requests for a moment: {@link MonitorEngine#services()} (every check's
 * view, about 50 ms at 10,000 checks) for the service page, {@link MonitorEngine#summaries()} (statuses only) for
 * the overview. After each live event every open page asks at once. A view is reused only while no check has
 * changed state since it was taken and for at most {@link #MAX_AGE_MS}: a page fetched because of a state change
 * always sees that change.
 */
final class StatusSnapshots {
    static final long MAX_AGE_MS = 1_000;

    private record Snapshot<T>(List<T> items, long stateVersion, long takenNanos) {}

    private final MonitorEngine engine;
    private final LongSupplier stateVersion;
    private volatile Snapshot<ServiceStatus> services;
    private volatile Snapshot<ServiceSummary> summaries;

    StatusSnapshots(MonitorEngine engine, LongSupplier stateVersion) {
        this.engine = engine;
        this.stateVersion = stateVersion;
    }

    List<ServiceStatus> services() {
        Snapshot<ServiceStatus> s = fresh(services, engine::services);
        services = s;
        return s.items();
    }

    List<ServiceSummary> summaries() {
        Snapshot<ServiceSummary> s = fresh(summaries, engine::summaries);
        summaries = s;
        return s.items();
    }

    private <T> Snapshot<T> fresh(Snapshot<T> last, Supplier<List<T>> take) {
        long version = stateVersion.getAsLong(); // read first: a change during the walk makes the next call recompute
        if (last != null
                && last.stateVersion() == version
                && System.nanoTime() - last.takenNanos() < MAX_AGE_MS * 1_000_000) {
            return last;
        }
        return new Snapshot<>(take.get(), version, System.nanoTime());
    }
}
