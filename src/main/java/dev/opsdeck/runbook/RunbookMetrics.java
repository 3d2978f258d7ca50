package dev.opsdeck.runbook;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * "Last tested" as metrics: {@code opsdeck_runbook_last_success_timestamp_seconds} and {@code opsdeck_runbook_untested}
 * (1 when a runbook never succeeded or not within 90 days), per runbook; refreshed from the store when a run ends and
 * by the server's housekeeping, so a scrape never waits for the database.
 */
public final class RunbookMetrics {
    private final Runbooks runbooks;
    private final MultiGauge lastSuccess;
    private final MultiGauge untested;

    public RunbookMetrics(Runbooks runbooks, MeterRegistry registry) {
        this.runbooks = runbooks;
        this.lastSuccess = MultiGauge.builder("opsdeck.runbook.last.success.timestamp")
                .baseUnit("seconds")
                .description("When each runbook last ran successfully (dry runs do not count)")
                .register(registry);
        this.untested = MultiGauge.builder("opsdeck.runbook.untested")
                .description("1 when the runbook has not succeeded within the untested threshold (90 days)")
                .register(registry);
        refresh();
    }

    public void refresh() {
        List<Runbooks.Entry> entries;
        try {
            entries = runbooks.catalogue();
        } catch (RuntimeException e) {
            return; // store unreachable: /ready says why; the last values stand
        }
        lastSuccess.register(
                entries.stream()
                        .filter(e -> e.lastSuccessMs() != null)
                        .map(e -> MultiGauge.Row.of(Tags.of("runbook", e.def().id()), e.lastSuccessMs() / 1000.0))
                        .toList(),
                true);
        untested.register(
                entries.stream()
                        .map(e -> MultiGauge.Row.of(Tags.of("runbook", e.def().id()), e.untested() ? 1 : 0))
                        .toList(),
                true);
    }
}
