package dev.opsdeck.backup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per target: when the last verified backup finished, its size and duration, whether the last attempt
 * succeeded (1) or failed (0), and a failure counter. Alert on {@code time() - last_success_timestamp > 26h}
 * rather than on the failure counter: it also catches a backup that never ran.
 */
final class BackupMetrics {
    private final MeterRegistry registry;
    private final Map<String, double[]> values = new ConcurrentHashMap<>(); // success ts, size, duration, last ok

    BackupMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers a target's meters (NaN until something is known), so a scrape shows every configured target. */
    void target(String target) {
        values.computeIfAbsent(target, t -> {
            double[] v = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
            gauge("opsdeck.backup.last_success_timestamp_seconds", t, v, 0, "When the last verified backup finished");
            gauge("opsdeck.backup.last_size_bytes", t, v, 1, "Size of the last verified backup file");
            gauge(
                    "opsdeck.backup.last_duration_seconds",
                    t,
                    v,
                    2,
                    "Dump, upload and verification of the last verified backup");
            gauge(
                    "opsdeck.backup.last_success",
                    t,
                    v,
                    3,
                    "1 when the last backup attempt was verified, 0 when it failed");
            Counter.builder("opsdeck.backup.failures")
                    .tag("target", t)
                    .description("Failed backup attempts")
                    .register(registry);
            return v;
        });
    }

    void succeeded(String target, long finishedMs, long size, long durationMs) {
        target(target);
        double[] v = values.get(target);
        v[0] = finishedMs / 1000.0;
        v[1] = size;
        v[2] = durationMs / 1000.0;
        v[3] = 1;
    }

    void failed(String target) {
        target(target);
        values.get(target)[3] = 0;
        registry.counter("opsdeck.backup.failures", "target", target).increment();
    }

    private void gauge(String name, String target, double[] v, int index, String help) {
        Gauge.builder(name, v, a -> a[index])
                .tag("target", target)
                .description(help)
                .register(registry);
    }
}
