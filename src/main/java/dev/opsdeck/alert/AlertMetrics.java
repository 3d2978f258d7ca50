package dev.opsdeck.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code opsdeck_alerts_firing{severity}} (gauge) and {@code opsdeck_alert_transitions_total{state}} (counter,
 * state pending, firing or resolved). A handful of meters, updated on transitions only.
 */
final class AlertMetrics {
    private final Map<AlertEvent.Severity, AtomicInteger> firing = new EnumMap<>(AlertEvent.Severity.class);
    private final Counter pending;
    private final Counter fired;
    private final Counter resolved;

    AlertMetrics(MeterRegistry registry) {
        for (AlertEvent.Severity s : AlertEvent.Severity.values()) {
            AtomicInteger n = new AtomicInteger();
            firing.put(s, n);
            Gauge.builder("opsdeck.alerts.firing", n, AtomicInteger::get)
                    .tag("severity", s.name())
                    .description("Alerts firing now, suppressed ones included")
                    .register(registry);
        }
        pending = transitions(registry, "pending");
        fired = transitions(registry, "firing");
        resolved = transitions(registry, "resolved");
    }

    private static Counter transitions(MeterRegistry registry, String state) {
        return Counter.builder("opsdeck.alert.transitions")
                .tag("state", state)
                .description("Alert state changes")
                .register(registry);
    }

    void pending() {
        pending.increment();
    }

    void fired(AlertEvent.Severity s) {
        fired.increment();
        firing.get(s).incrementAndGet();
    }

    /** A firing alert loaded from the store after a restart: firing again without a transition. */
    void restored(AlertEvent.Severity s) {
        firing.get(s).incrementAndGet();
    }

    void resolved(AlertEvent.Severity s) {
        resolved.increment();
        firing.get(s).decrementAndGet();
    }
}
