package dev.opsdeck.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.monitor.TcpTarget;
import dev.opsdeck.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API of a real server with an embedded store and tcp checks against loopback targets. */
class ApiTest {
    @TempDir
    static Path dir;

    static TcpTarget up;
    static TestServer server;
    static Path config;

    static String yaml(int upPort, int closedPort) {
        return """
                server: { data_dir: data }
                services:
                  postgres:
                    description: the database
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %2$d, interval: 200ms }
                  api:
                    depends_on: [postgres]
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %1$d, interval: 200ms }
                      db: { type: tcp, host: 127.0.0.1, port: %2$d, interval: 200ms }
                  web:
                    depends_on: [api]
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %1$d, interval: 200ms }
                """.formatted(upPort, closedPort);
    }

    @BeforeAll
    static void start() throws Exception {
        up = TcpTarget.up();
        config = Files.writeString(dir.resolve("opsdeck.yaml"), yaml(up.port(), TcpTarget.closedPort()));
        server = new TestServer(config);
        TestServer.awaitHttp(
                () -> !server.get("/api/v1/services").body().contains("\"unknown\""), "every check to report");
        assertThat(server.server.writer().flush(5_000)).isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (up != null) up.close();
    }

    @Test
    void healthReadyAndVersion() throws Exception {
        HttpResponse<String> health = server.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(TestServer.JSON.readTree(health.body()).path("status").asText())
                .isEqualTo("ok");
        HttpResponse<String> ready = server.get("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"ready\",\"problems\":[]}");
        JsonNode version = server.json("/api/v1/version");
        assertThat(version.path("name").asText()).isEqualTo("opsdeck");
        assertThat(version.path("version").asText()).isNotBlank();
    }

    @Test
    void servicesWithStatusesAndRootCauses() throws Exception {
        JsonNode services = server.json("/api/v1/services").path("services");
        assertThat(services).extracting(s -> s.path("name").asText()).containsExactly("postgres", "api", "web");
        JsonNode postgres = services.get(0);
        assertThat(postgres.path("status").asText()).isEqualTo("down");
        assertThat(postgres.path("description").asText()).isEqualTo("the database");
        assertThat(postgres.path("impacted_by")).isEmpty();
        JsonNode api = services.get(1);
        assertThat(api.path("status").asText()).isEqualTo("down");
        assertThat(api.path("message").asText()).isEqualTo("db: connection refused");
        assertThat(api.path("depends_on").toString()).isEqualTo("[\"postgres\"]");
        assertThat(api.path("impacted_by").toString()).isEqualTo("[\"postgres\"]");
        JsonNode check = api.path("checks").get(0);
        assertThat(check.path("name").asText()).isEqualTo("port");
        assertThat(check.path("type").asText()).isEqualTo("tcp");
        assertThat(check.path("status").asText()).isEqualTo("up");
        assertThat(check.path("interval_seconds").asDouble()).isEqualTo(0.2);
        assertThat(check.path("values").path("CONNECTED").asBoolean()).isTrue();
        assertThat(check.path("uptime_24h").asDouble()).isEqualTo(100.0);
        assertThat(check.path("last_run").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(services.get(2).path("status").asText()).isEqualTo("up");
        assertThat(services.get(2).path("impacted_by")).isEmpty();
    }

    @Test
    void oneServiceAndUnknownNamesAsProblemDocuments() throws Exception {
        JsonNode api = server.json("/api/v1/services/api");
        assertThat(api.path("name").asText()).isEqualTo("api");
        assertThat(api.path("checks")).hasSize(2);
        // built for the one service, it says what the list says: status, message, root cause
        assertThat(api.path("status").asText()).isEqualTo("down");
        assertThat(api.path("message").asText()).isEqualTo("db: connection refused");
        assertThat(api.path("impacted_by").toString()).isEqualTo("[\"postgres\"]");
        assertThat(server.json("/api/v1/services/web").path("impacted_by")).isEmpty();
        assertThat(server.json("/api/v1/services/postgres").path("impacted_by")).isEmpty();
        HttpResponse<String> missing = server.get("/api/v1/services/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(missing.body())
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"no service named 'nope'\",\"instance\":\"/api/v1/services/nope\"}");
        HttpResponse<String> noRoute = server.get("/api/v2/nothing");
        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(TestServer.JSON.readTree(noRoute.body()).path("detail").asText())
                .isEqualTo("no such endpoint: GET /api/v2/nothing");
    }

    @Test
    void checkHistoryWithWindowValidation() throws Exception {
        HttpResponse<String> res = server.get("/api/v1/checks/api/port/history?window=1h");
        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode body = TestServer.JSON.readTree(res.body());
        assertThat(body.path("check").asText()).isEqualTo("api/port");
        assertThat(body.path("window").asText()).isEqualTo("1h");
        assertThat(body.path("resolution").asText()).isEqualTo("minute");
        JsonNode results = body.path("results");
        assertThat(results.size()).isPositive();
        assertThat(results.get(0).path("status").asText()).isEqualTo("up");
        assertThat(body.path("summary").path("uptime_percent").asDouble()).isEqualTo(100.0);
        long bucketed = 0;
        for (JsonNode b : body.path("buckets")) bucketed += b.path("up").asLong();
        assertThat(bucketed).isEqualTo(body.path("summary").path("up").asLong());
        assertThat(server.json("/api/v1/checks/api/db/history?window=7d")
                        .path("resolution")
                        .asText())
                .isEqualTo("hour");

        HttpResponse<String> bad = server.get("/api/v1/checks/api/port/history?window=abc");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = TestServer.JSON.readTree(bad.body());
        assertThat(problem.path("title").asText()).isEqualTo("Bad Request");
        assertThat(problem.path("detail").asText())
                .isEqualTo("window: expected a duration up to 400d such as 1h, 24h, 30d; got 'abc'");
        assertThat(server.get("/api/v1/checks/api/nope/history").statusCode()).isEqualTo(404);
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        HttpResponse<String> res = server.get("/metrics");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(res.body())
                .contains("opsdeck_check_up{check=\"port\",service=\"api\",type=\"tcp\"} 1")
                .contains("opsdeck_check_up{check=\"db\",service=\"api\",type=\"tcp\"} 0")
                .contains("opsdeck_check_status{check=\"port\",service=\"postgres\",type=\"tcp\"} 3")
                .contains("# TYPE opsdeck_check_latency_seconds histogram")
                .contains("opsdeck_schedule_lag_seconds_count");
        Path promtool = Path.of("/usr/bin/promtool");
        assertThat(Files.isExecutable(promtool))
                .as("promtool not installed: apt-get install -y prometheus (.ci/run does)")
                .isTrue();
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (var in = p.getOutputStream()) {
            in.write(res.body().getBytes());
        }
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics:%n%s", output).isZero();
    }

    @Test
    void configStatusShowsARejectedReload() throws Exception {
        JsonNode fine = server.json("/api/v1/config/status");
        assertThat(fine.path("valid").asBoolean()).isTrue();
        assertThat(fine.path("checks").asInt()).isEqualTo(4);
        String good = Files.readString(config);
        try {
            Files.writeString(config, good.replace("depends_on: [postgres]", "depends_on: [postgress]"));
            TestServer.awaitHttp(
                    () -> !server.json("/api/v1/config/status").path("valid").asBoolean(), "rejection");
            JsonNode status = server.json("/api/v1/config/status");
            List<String> errors = new ArrayList<>();
            status.path("errors").forEach(e -> errors.add(e.asText()));
            assertThat(errors)
                    .containsExactly(config + ":8:18: services.api.depends_on: unknown service 'postgress'"
                            + " (hint: did you mean 'postgres'?)");
            assertThat(status.path("checks").asInt())
                    .as("the old config keeps running")
                    .isEqualTo(4);
            assertThat(server.get("/ready").statusCode()).isEqualTo(200);
        } finally {
            Files.writeString(config, good);
            TestServer.awaitHttp(
                    () -> server.json("/api/v1/config/status").path("valid").asBoolean(), "recovery");
        }
    }
}
