package dev.opsdeck.monitor;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Prometheus metrics of the monitoring engine: per check up/status, latency histogram and
 * certificate expiry; schedule lag and skipped runs for the engine itself.
 */
public final class MonitorMetrics {
    private final MeterRegistry registry;
    private final Timer lag;
    private final Counter skipped;
    private final Map<String, CheckMeters> checks = new ConcurrentHashMap<>();

    public MonitorMetrics(MeterRegistry registry) {
        this.registry = registry;
        // a Timer, not a DistributionSummary: summary histograms round values up to whole numbers,
        // which put every lag between 1 ms and 1 s into the 1 s bucket
        this.lag = Timer.builder("opsdeck_schedule_lag")
                .description("Delay between a check's planned and actual start")
                .serviceLevelObjectives(Stream.of(1, 5, 10, 25, 50, 100, 150, 200, 250, 500, 1_000, 5_000)
                        .map(Duration::ofMillis).toArray(Duration[]::new))
                .register(registry);
        this.skipped = Counter.builder("opsdeck_check_runs_skipped")
                .description("Runs skipped because the previous run of the same check was still going")
                .register(registry);
    }

    void register(CheckDef def) {
        checks.computeIfAbsent(def.id(), id -> new CheckMeters(def));
    }

    void unregister(CheckDef def) {
        CheckMeters m = checks.remove(def.id());
        if (m != null) m.remove();
    }

    void lag(long millis) {
        lag.record(Duration.ofMillis(Math.max(0, millis)));
    }

    void skipped() {
        skipped.increment();
    }

    void result(CheckDef def, CheckResult r, Status state) {
        CheckMeters m = checks.get(def.id());
        if (m == null) return;
        m.up.set(state == Status.UP || state == Status.DEGRADED ? 1 : 0);
        m.status.set(state.severity());
        m.latency.record(Duration.ofMillis(r.latencyMillis()));
        Object expiry = r.values().get("CERTIFICATE_EXPIRATION");
        if (expiry instanceof Number n) m.certExpiry.set(n.longValue() / 1000);
    }

    private final class CheckMeters {
        final AtomicLong up = new AtomicLong();
        final AtomicLong status = new AtomicLong(Status.UNKNOWN.severity());
        final AtomicLong certExpiry = new AtomicLong(Long.MIN_VALUE);
        final Timer latency;
        final Gauge upGauge;
        final Gauge statusGauge;
        final Gauge certGauge;

        CheckMeters(CheckDef def) {
            Tags tags = Tags.of("service", def.service(), "check", def.name(), "type", def.type());
            upGauge = Gauge.builder("opsdeck_check_up", up, AtomicLong::get)
                    .description("1 when the check is up or degraded, 0 when down or unknown").tags(tags).register(registry);
            statusGauge = Gauge.builder("opsdeck_check_status", status, AtomicLong::get)
                    .description("0 up, 1 degraded, 2 unknown, 3 down").tags(tags).register(registry);
            certGauge = Gauge.builder("opsdeck_check_certificate_expiry_seconds", certExpiry,
                            v -> v.get() == Long.MIN_VALUE ? Double.NaN : v.get())
                    .description("Seconds until the checked certificate expires").tags(tags).register(registry);
            latency = Timer.builder("opsdeck_check_latency").description("Probe latency")
                    .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
                            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10))
                    .tags(tags).register(registry);
        }

        void remove() {
            registry.remove(upGauge);
            registry.remove(statusGauge);
            registry.remove(certGauge);
            registry.remove(latency);
        }
    }
}
