package dev.opsdeck.backup;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per drill: when the last passed drill finished, whether the last run passed (1) or failed (0), and the last
 * passed run's restore time (RTO) and restored backup age (RPO). Alert on the timestamp's age (a drill that stopped
 * running is as bad as one that fails), e.g. {@code time() - opsdeck_drill_last_success_timestamp_seconds > 35d}.
 */
final class DrillMetrics {
    private final MeterRegistry registry;
    private final Map<String, double[]> values = new ConcurrentHashMap<>(); // success ts, last ok, restore s, rpo s

    DrillMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers a drill's gauges (NaN until a run is known), so a scrape shows every configured drill. */
    void drill(String drill) {
        values.computeIfAbsent(drill, d -> {
            double[] v = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
            gauge(
                    "opsdeck.drill.last_success_timestamp_seconds",
                    d,
                    v,
                    0,
                    "When the last passed restore drill finished");
            gauge("opsdeck.drill.success", d, v, 1, "1 when the last restore drill passed, 0 when it failed");
            gauge("opsdeck.drill.restore_seconds", d, v, 2, "Restore time of the last passed drill (measured RTO)");
            gauge("opsdeck.drill.rpo_seconds", d, v, 3, "Age of the backup the last passed drill restored (RPO)");
            return v;
        });
    }

    void passed(String drill, long finishedMs, long restoreMs, long rpoMs) {
        drill(drill);
        double[] v = values.get(drill);
        v[0] = finishedMs / 1000.0;
        v[1] = 1;
        v[2] = restoreMs / 1000.0;
        v[3] = rpoMs / 1000.0;
    }

    void failed(String drill) {
        drill(drill);
        values.get(drill)[1] = 0;
    }

    private void gauge(String name, String drill, double[] v, int index, String help) {
        Gauge.builder(name, v, a -> a[index])
                .tag("drill", drill)
                .description(help)
                .register(registry);
    }
}
