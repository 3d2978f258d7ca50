package dev.opsdeck.incident;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Incident figures for /metrics, refreshed from {@link IncidentStats} by the housekeeping tick (a scrape never
 * queries the store): {@code opsdeck_incident_mtta_seconds{severity,service}},
 * {@code opsdeck_incident_mttr_seconds{severity,service}}, {@code opsdeck_incidents_open{severity}} and
 * {@code opsdeck_incident_sla_breaches_total}. A series whose incidents left the window reads NaN.
 * Escalation counters, counted as they happen (since the process started, like any Prometheus counter):
 * {@code opsdeck_escalations_total{policy,step}} for every escalation step run and
 * {@code opsdeck_incident_ack_timeouts_total{policy}} for acknowledgements that timed out (policy {@code none}
 * without one). They are counted only once their transaction commits, so a rolled-back change counts nothing.
 */
final class IncidentMetrics {
    private final MeterRegistry registry;
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final AtomicLong breaches = new AtomicLong();
    private final List<Runnable> uncommitted = new ArrayList<>(); // guarded by the manager's write lock

    IncidentMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String severity : new String[] {"P1", "P2", "P3", "P4"}) {
            String key = "open|" + severity;
            values.put(key, 0.0);
            Gauge.builder("opsdeck.incidents.open", values, v -> v.getOrDefault(key, 0.0))
                    .description("Incidents not resolved, by severity")
                    .tag("severity", severity)
                    .register(registry);
        }
        FunctionCounter.builder("opsdeck.incident.sla.breaches", breaches, AtomicLong::get)
                .description("Response and resolution targets missed, ever")
                .register(registry);
    }

    /** An escalation step ran (1-based {@code step}), in the transaction under way. */
    void escalated(String policy, int step) {
        uncommitted.add(() -> Counter.builder("opsdeck.escalations")
                .description("Escalation steps run")
                .tags("policy", policy, "step", String.valueOf(step))
                .register(registry)
                .increment());
    }

    /** An acknowledgement timed out and the incident went back to triggered, in the transaction under way. */
    void ackTimedOut(String policy) {
        uncommitted.add(() -> Counter.builder("opsdeck.incident.ack.timeouts")
                .description("Acknowledgements not followed by resolution within incidents.ack_timeout")
                .tag("policy", policy == null ? "none" : policy)
                .register(registry)
                .increment());
    }

    /** The transaction committed: what it did counts. */
    void committed() {
        uncommitted.forEach(Runnable::run);
        uncommitted.clear();
    }

    /** The transaction rolled back: nothing of it happened. */
    void rolledBack() {
        uncommitted.clear();
    }

    void update(IncidentStats stats) {
        stats.open().forEach((severity, n) -> values.put("open|" + severity, n.doubleValue()));
        breaches.set(stats.slaBreaches());
        values.replaceAll((k, v) -> k.startsWith("open|") ? v : Double.NaN);
        for (IncidentStats.Figure f : stats.byService()) {
            series("mtta", f.severity(), f.service(), f.mttaSeconds());
            series("mttr", f.severity(), f.service(), f.mttrSeconds());
        }
    }

    private void series(String name, String severity, String service, Double seconds) {
        String key = name + "|" + severity + "|" + service;
        values.put(key, seconds == null ? Double.NaN : seconds);
        if (registered.add(key)) {
            Gauge.builder("opsdeck.incident." + name, values, v -> v.getOrDefault(key, Double.NaN))
                    .description(
                            name.equals("mtta")
                                    ? "Mean time to acknowledge over the last 30 days"
                                    : "Mean time to resolve over the last 30 days")
                    .baseUnit("seconds")
                    .tags("severity", severity, "service", service)
                    .register(registry);
        }
    }
}
