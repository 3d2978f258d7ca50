package dev.opsdeck.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MonitorMetricsTest {
    private static CheckDef def(String service, String name, String type) {
        return new CheckDef(
                service,
                name,
                type,
                null,
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                1,
                1,
                List.of(),
                List.of(),
                null,
                null);
    }

    private static CheckResult result(Status status, long latencyMs, Map<String, Object> values) {
        return new CheckResult(status, Instant.now(), latencyMs, "m", values);
    }

    @Test
    void perCheckSeriesInPrometheusText() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MonitorMetrics metrics = new MonitorMetrics(registry);
        CheckDef web = def("shop", "web", "http");
        CheckDef tls = def("shop", "cert", "tls");
        metrics.register(web);
        metrics.register(tls);
        // bounds are inclusive: 10 ms is in le="0.01", 11 ms in le="0.05"
        for (long ms : new long[] {5, 10, 11, 3_000, 20_000})
            metrics.result(web, result(Status.UP, ms, Map.of()), Status.UP);
        metrics.result(tls, result(Status.DOWN, 40, Map.of("CERTIFICATE_EXPIRATION", 86_400_000L)), Status.DOWN);

        String text = registry.scrape();
        String l = "check=\"web\",service=\"shop\",type=\"http\"";
        assertThat(text)
                .contains("# TYPE opsdeck_check_latency_seconds histogram")
                .contains("opsdeck_check_latency_seconds_bucket{" + l + ",le=\"0.01\"} 2\n")
                .contains("opsdeck_check_latency_seconds_bucket{" + l + ",le=\"0.05\"} 3\n")
                .contains("opsdeck_check_latency_seconds_bucket{" + l + ",le=\"2.0\"} 3\n")
                .contains("opsdeck_check_latency_seconds_bucket{" + l + ",le=\"5.0\"} 4\n")
                .contains("opsdeck_check_latency_seconds_bucket{" + l + ",le=\"10.0\"} 4\n")
                .contains("opsdeck_check_latency_seconds_bucket{" + l + ",le=\"+Inf\"} 5\n")
                .contains("opsdeck_check_latency_seconds_count{" + l + "} 5\n")
                .contains("opsdeck_check_latency_seconds_sum{" + l + "} 23.026\n")
                .contains("opsdeck_check_up{" + l + "} 1")
                .contains("opsdeck_check_status{" + l + "} 0")
                .contains("opsdeck_check_certificate_expiry_seconds{" + l + "} NaN")
                .contains("opsdeck_check_up{check=\"cert\",service=\"shop\",type=\"tls\"} 0")
                .contains("opsdeck_check_status{check=\"cert\",service=\"shop\",type=\"tls\"} 3")
                .contains(
                        "opsdeck_check_certificate_expiry_seconds{check=\"cert\",service=\"shop\",type=\"tls\"} 86400")
                .contains("# TYPE opsdeck_schedule_lag_seconds histogram")
                .contains("opsdeck_check_runs_skipped_total 0");
        assertThat(text.split("# TYPE opsdeck_check_up gauge", -1))
                .as("one family per metric")
                .hasSize(2);

        metrics.unregister(web);
        assertThat(registry.scrape())
                .doesNotContain("service=\"shop\",type=\"http\"")
                .contains("opsdeck_check_up{check=\"cert\",service=\"shop\",type=\"tls\"} 0");
        metrics.unregister(tls);
        assertThat(registry.scrape()).doesNotContain("opsdeck_check_up").doesNotContain("opsdeck_check_latency");
    }

    @Test
    void newCheckStartsUnknownWithoutSamples() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MonitorMetrics metrics = new MonitorMetrics(registry);
        metrics.register(def("db", "ping", "postgres"));
        String l = "check=\"ping\",service=\"db\",type=\"postgres\"";
        assertThat(registry.scrape())
                .contains("opsdeck_check_up{" + l + "} 0")
                .contains("opsdeck_check_status{" + l + "} 2")
                .contains("opsdeck_check_latency_seconds_bucket{" + l + ",le=\"+Inf\"} 0\n")
                .contains("opsdeck_check_latency_seconds_count{" + l + "} 0\n");
    }

    @Test
    void valuesReadableWithAnyRegistry() {
        MonitorMetrics metrics = new MonitorMetrics(new SimpleMeterRegistry());
        CheckDef d = def("a", "b", "tcp");
        metrics.register(d);
        metrics.result(d, result(Status.DEGRADED, 60, Map.of()), Status.DEGRADED);
        MonitorMetrics.CheckMeters.Values v = metrics.check("a/b");
        assertThat(v.up()).isEqualTo(1);
        assertThat(v.status()).isEqualTo(Status.DEGRADED.severity());
        assertThat(v.count()).isEqualTo(1);
        assertThat(v.bucketCounts()).containsExactly(0, 0, 1, 0, 0, 0, 0, 0, 0, 0);
        assertThat(metrics.check("a/none")).isNull();
    }

    @Test
    void tenThousandChecksPassPromtool() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MonitorMetrics metrics = new MonitorMetrics(registry);
        for (int i = 0; i < 10_000; i++) {
            CheckDef d = def("svc" + i, "health", "http");
            metrics.register(d);
            metrics.result(
                    d,
                    result(
                            i % 7 == 0 ? Status.DOWN : Status.UP,
                            i % 3_000,
                            i % 5 == 0 ? Map.of("CERTIFICATE_EXPIRATION", 1_000L * i) : Map.of()),
                    Status.UP);
        }
        metrics.lag(3);
        String text = registry.scrape();
        assertThat(text.lines().filter(s -> s.startsWith("opsdeck_check_up{")).count())
                .isEqualTo(10_000);
        assertThat(text.lines()
                        .filter(s -> s.startsWith("opsdeck_check_latency_seconds_count{"))
                        .count())
                .isEqualTo(10_000);
        Path promtool = Path.of("/usr/bin/promtool");
        assertThat(Files.isExecutable(promtool))
                .as("promtool not installed: apt-get install -y prometheus (.ci/run does)")
                .isTrue();
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes());
        }
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics:%n%s", output).isZero();
    }
}
