package dev.opsdeck.api;

import dev.opsdeck.monitor.ServiceStatus;
import dev.opsdeck.monitor.UptimeBoard;
import dev.opsdeck.store.HistoryRepository;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the API, built explicitly so field names are a stable contract. */
final class ApiViews {
    private ApiViews() {}

    static Map<String, Object> service(ServiceStatus s, UptimeBoard uptime) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("description", s.description());
        m.put("status", s.status().label());
        m.put("message", s.message());
        m.put("depends_on", s.dependsOn());
        m.put("impacted_by", s.impactedBy());
        m.put(
                "checks",
                s.checks().stream().map(c -> check(c, uptime.counts(c.id()))).toList());
        return m;
    }

    static Map<String, Object> check(ServiceStatus.CheckStatus c, UptimeBoard.Counts day) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("type", c.type());
        m.put("status", c.status().label());
        m.put("message", c.message());
        m.put("since", iso(c.sinceMs()));
        m.put("last_run", c.lastAtMs() == 0 ? null : iso(c.lastAtMs()));
        m.put("latency_ms", c.latencyMs());
        m.put("flapping", c.flapping());
        m.put("interval_seconds", c.intervalMs() / 1000.0);
        m.put("values", c.values());
        if (day != null) {
            m.put("uptime_24h", round(day.uptimePercent()));
        }
        return m;
    }

    static Map<String, Object> bucket(HistoryRepository.Bucket b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", iso(b.startMs()));
        m.put("up", b.up());
        m.put("degraded", b.degraded());
        m.put("down", b.down());
        m.put("uptime_percent", round(b.uptimePercent()));
        m.put("latency_mean_ms", b.latencyMean());
        m.put("latency_p50_ms", b.latencyPercentile(0.5));
        m.put("latency_p95_ms", b.latencyPercentile(0.95));
        m.put("latency_p99_ms", b.latencyPercentile(0.99));
        m.put("latency_max_ms", b.latencyMax());
        return m;
    }

    static Map<String, Object> raw(HistoryRepository.RawResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", iso(r.atMs()));
        m.put("status", r.status().label());
        m.put("latency_ms", r.latencyMs());
        m.put("message", r.message());
        return m;
    }

    static List<Map<String, Object>> raws(List<HistoryRepository.RawResult> list) {
        return list.stream().map(ApiViews::raw).toList();
    }

    static String iso(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 1000) / 1000.0;
    }
}
