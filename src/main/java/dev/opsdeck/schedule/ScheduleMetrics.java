package dev.opsdeck.schedule;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per schedule: when the last successful run ended, how long the last run took, and counters of failed and missed
 * runs. Alert on {@code time() - opsdeck_schedule_last_success_timestamp_seconds} for a schedule that silently
 * stopped; the counters feed rates.
 */
final class ScheduleMetrics {
    private final MeterRegistry registry;
    private final Map<String, double[]> values = new ConcurrentHashMap<>(); // last success ts, last duration

    ScheduleMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers a schedule's meters (NaN until something is known), so a scrape shows every configured schedule. */
    void schedule(String name) {
        values.computeIfAbsent(name, s -> {
            double[] v = {Double.NaN, Double.NaN};
            Gauge.builder("opsdeck.schedule.last_success_timestamp_seconds", v, a -> a[0])
                    .tag("schedule", s)
                    .description("When the last successful run of the schedule ended")
                    .register(registry);
            Gauge.builder("opsdeck.schedule.last_duration_seconds", v, a -> a[1])
                    .tag("schedule", s)
                    .description("How long the last run of the schedule took")
                    .register(registry);
            Counter.builder("opsdeck.schedule.failures")
                    .tag("schedule", s)
                    .description("Failed runs of the schedule")
                    .register(registry);
            Counter.builder("opsdeck.schedule.missed")
                    .tag("schedule", s)
                    .description("Fire times missed while Opsdeck was not running")
                    .register(registry);
            return v;
        });
    }

    void succeeded(String name, long endedMs, long durationMs) {
        schedule(name);
        double[] v = values.get(name);
        v[0] = endedMs / 1000.0;
        v[1] = durationMs / 1000.0;
    }

    void failed(String name, long durationMs) {
        schedule(name);
        values.get(name)[1] = durationMs / 1000.0;
        registry.counter("opsdeck.schedule.failures", "schedule", name).increment();
    }

    void missed(String name) {
        schedule(name);
        registry.counter("opsdeck.schedule.missed", "schedule", name).increment();
    }
}
