package dev.opsdeck.incident;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Incident figures for /metrics, refreshed from {@link IncidentStats} by the housekeeping tick (a scrape never
 * queries the store): {@code opsdeck_incident_mtta_seconds{severity,service}},
 * {@code opsdeck_incident_mttr_seconds{severity,service}}, {@code opsdeck_incidents_open{severity}} and
 * {@code opsdeck_incident_sla_breaches_total}. A series whose incidents left the window reads NaN.
 */
final class IncidentMetrics {
    private final MeterRegistry registry;
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final AtomicLong breaches = new AtomicLong();

    IncidentMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String severity : new String[] {"P1", "P2", "P3", "P4"}) {
            String key = "open|" + severity;
            values.put(key, 0.0);
            Gauge.builder("opsdeck.incidents.open", values, v -> v.getOrDefault(key, 0.0))
                    .description("Incidents not resolved, by severity").tag("severity", severity).register(registry);
        }
        FunctionCounter.builder("opsdeck.incident.sla.breaches", breaches, AtomicLong::get)
                .description("Response and resolution targets missed, ever").register(registry);
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
                    .description(name.equals("mtta") ? "Mean time to acknowledge over the last 30 days"
                            : "Mean time to resolve over the last 30 days")
                    .baseUnit("seconds").tags("severity", severity, "service", service).register(registry);
        }
    }
}
