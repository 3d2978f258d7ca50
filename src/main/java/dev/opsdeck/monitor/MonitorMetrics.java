package dev.opsdeck.monitor;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Prometheus metrics of the monitoring engine: per check up/status, latency histogram and
 * certificate expiry; schedule lag and skipped runs for the engine itself.
 *
 * <p>The per-check series are not Micrometer meters: 10,000 checks made 40,000 meters (each Timer
 * with its own decaying histogram and max), registration was quadratic (Micrometer copies its meter
 * map on every add) and the meters held tens of megabytes. Here each check is a few fields, and one
 * collector turns them into Prometheus series when /metrics is scraped. The engine-wide lag and
 * skipped-run meters stay Micrometer meters.
 */
public final class MonitorMetrics {
    /** Upper bounds of the per-check latency buckets, in milliseconds (inclusive, as Prometheus' {@code le}). */
    static final long[] LATENCY_BOUNDS_MS = {10, 50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000};

    private static final double[] LATENCY_BOUNDS_SECONDS = new double[LATENCY_BOUNDS_MS.length + 1];

    static {
        for (int i = 0; i < LATENCY_BOUNDS_MS.length; i++) LATENCY_BOUNDS_SECONDS[i] = LATENCY_BOUNDS_MS[i] / 1000.0;
        LATENCY_BOUNDS_SECONDS[LATENCY_BOUNDS_MS.length] = Double.POSITIVE_INFINITY;
    }

    private static final MetricMetadata UP =
            new MetricMetadata("opsdeck_check_up", "1 when the check is up or degraded, 0 when down or unknown");
    private static final MetricMetadata STATUS =
            new MetricMetadata("opsdeck_check_status", "0 up, 1 degraded, 2 unknown, 3 down");
    private static final MetricMetadata CERT_EXPIRY = new MetricMetadata(
            "opsdeck_check_certificate_expiry_seconds", "Seconds until the checked certificate expires", Unit.SECONDS);
    private static final MetricMetadata LATENCY =
            new MetricMetadata("opsdeck_check_latency_seconds", "Probe latency", Unit.SECONDS);

    private final Timer lag;
    private final Counter skipped;
    private final Map<String, CheckMeters> checks = new ConcurrentHashMap<>();

    public MonitorMetrics(MeterRegistry registry) {
        // a Timer, not a DistributionSummary: summary histograms round values up to whole numbers,
        // which put every lag between 1 ms and 1 s into the 1 s bucket
        this.lag = Timer.builder("opsdeck_schedule_lag")
                .description("Delay between a check's planned and actual start")
                .serviceLevelObjectives(Stream.of(1, 5, 10, 25, 50, 100, 150, 200, 250, 500, 1_000, 5_000)
                        .map(Duration::ofMillis)
                        .toArray(Duration[]::new))
                .register(registry);
        this.skipped = Counter.builder("opsdeck_check_runs_skipped")
                .description("Runs skipped because the previous run of the same check was still going")
                .register(registry);
        // per-check series are exposition only: other registries (tests use a simple one) read them
        // through check(id)
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            prometheus.getPrometheusRegistry().register(new ChecksCollector());
        }
    }

    void register(CheckDef def) {
        checks.computeIfAbsent(
                def.id(),
                id -> new CheckMeters(Labels.of("service", def.service(), "check", def.name(), "type", def.type())));
    }

    void unregister(CheckDef def) {
        checks.remove(def.id());
    }

    void lag(long millis) {
        lag.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    void skipped() {
        skipped.increment();
    }

    void result(CheckDef def, CheckResult r, Status state) {
        CheckMeters m = checks.get(def.id());
        if (m == null) return;
        Object expiry = r.values().get("CERTIFICATE_EXPIRATION");
        m.record(state, r.latencyMillis(), expiry instanceof Number n ? n.longValue() / 1000 : null);
    }

    /** The current values of one check's series, or null when it is not registered (for tests). */
    CheckMeters.Values check(String checkId) {
        CheckMeters m = checks.get(checkId);
        return m == null ? null : m.values();
    }

    /** One check's series. Written by its probe, read by scrapes; a monitor keeps the two consistent. */
    static final class CheckMeters {
        record Values(
                Labels labels,
                int up,
                int status,
                double certExpirySeconds,
                long[] bucketCounts,
                long count,
                double sumSeconds) {}

        private final Labels labels;
        private int up;
        private int status = Status.UNKNOWN.severity();
        private double certExpirySeconds = Double.NaN;
        /** Non-cumulative counts per bucket, the last one for values above every bound. */
        private final long[] buckets = new long[LATENCY_BOUNDS_MS.length + 1];

        private long sumMillis;

        CheckMeters(Labels labels) {
            this.labels = labels;
        }

        synchronized void record(Status state, long latencyMillis, Long certExpirySeconds) {
            up = state == Status.UP || state == Status.DEGRADED ? 1 : 0;
            status = state.severity();
            long ms = Math.max(0, latencyMillis);
            int b = 0;
            while (b < LATENCY_BOUNDS_MS.length && ms > LATENCY_BOUNDS_MS[b]) b++;
            buckets[b]++;
            sumMillis += ms;
            if (certExpirySeconds != null) this.certExpirySeconds = certExpirySeconds;
        }

        synchronized Values values() {
            long count = 0;
            for (long c : buckets) count += c;
            return new Values(labels, up, status, certExpirySeconds, buckets.clone(), count, sumMillis / 1000.0);
        }
    }

    /** Builds the per-check series at scrape time. */
    private final class ChecksCollector implements MultiCollector {
        @Override
        public MetricSnapshots collect() {
            if (checks.isEmpty()) return new MetricSnapshots(); // no families without samples, as before
            List<GaugeSnapshot.GaugeDataPointSnapshot> up = new ArrayList<>(checks.size());
            List<GaugeSnapshot.GaugeDataPointSnapshot> status = new ArrayList<>(checks.size());
            List<GaugeSnapshot.GaugeDataPointSnapshot> cert = new ArrayList<>(checks.size());
            List<HistogramSnapshot.HistogramDataPointSnapshot> latency = new ArrayList<>(checks.size());
            for (CheckMeters m : checks.values()) {
                CheckMeters.Values v = m.values();
                up.add(new GaugeSnapshot.GaugeDataPointSnapshot(v.up(), v.labels(), null));
                status.add(new GaugeSnapshot.GaugeDataPointSnapshot(v.status(), v.labels(), null));
                cert.add(new GaugeSnapshot.GaugeDataPointSnapshot(v.certExpirySeconds(), v.labels(), null));
                latency.add(new HistogramSnapshot.HistogramDataPointSnapshot(
                        ClassicHistogramBuckets.of(LATENCY_BOUNDS_SECONDS, v.bucketCounts()),
                        v.sumSeconds(),
                        v.labels(),
                        Exemplars.EMPTY,
                        0L));
            }
            return new MetricSnapshots(
                    new GaugeSnapshot(UP, up),
                    new GaugeSnapshot(STATUS, status),
                    new GaugeSnapshot(CERT_EXPIRY, cert),
                    new HistogramSnapshot(LATENCY, latency));
        }

        @Override
        public List<String> getPrometheusNames() {
            return List.of(
                    UP.getPrometheusName(),
                    STATUS.getPrometheusName(),
                    CERT_EXPIRY.getPrometheusName(),
                    LATENCY.getPrometheusName());
        }
    }
}
