package dev.opsdeck.checklist;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code opsdeck_checklist_score{checklist}} (0..100, NaN before the first run) and
 * {@code opsdeck_checklist_items{checklist,state}} (how many items are in each state after the last run).
 */
final class ChecklistMetrics {
    private final MeterRegistry registry;
    private final Map<String, double[]> scores = new ConcurrentHashMap<>();
    private final Map<String, double[]> items = new ConcurrentHashMap<>();

    ChecklistMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the checklist's meters, so a scrape shows every configured checklist. */
    void checklist(String name) {
        scores.computeIfAbsent(name, n -> {
            double[] v = {Double.NaN};
            Gauge.builder("opsdeck.checklist.score", v, a -> a[0])
                    .tag("checklist", n)
                    .description("The checklist's score after its last run, 0 to 100")
                    .register(registry);
            return v;
        });
        for (ItemState s : ItemState.values()) {
            items.computeIfAbsent(name + "\n" + s.label(), k -> {
                double[] v = {0};
                Gauge.builder("opsdeck.checklist.items", v, a -> a[0])
                        .tag("checklist", name)
                        .tag("state", s.label())
                        .description("Items of the checklist in each state after its last run")
                        .register(registry);
                return v;
            });
        }
    }

    void ran(String name, int score, Map<ItemState, Integer> counts) {
        checklist(name);
        scores.get(name)[0] = score;
        for (ItemState s : ItemState.values()) {
            items.get(name + "\n" + s.label())[0] = counts.getOrDefault(s, 0);
        }
    }
}
