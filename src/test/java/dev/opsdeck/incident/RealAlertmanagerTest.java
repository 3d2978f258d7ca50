package dev.opsdeck.incident;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus Alertmanager (Debian package prometheus-alertmanager) posting to a running Opsdeck: an alert
 * posted to Alertmanager's API opens an incident through its webhook receiver, and the same alert ended resolves it.
 */
class RealAlertmanagerTest {
    static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

    @TempDir
    static Path dir;

    static ApiHarness opsdeck;
    static Process alertmanager;
    static String amUrl;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(BINARY))
                .as(
                        "%s is missing: install it with `apt-get install -y prometheus-alertmanager`"
                                + " (.ci/run does)",
                        BINARY)
                .isTrue();
        opsdeck = new ApiHarness(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        amUrl = "http://127.0.0.1:" + port;
        Path config =
                Files.writeString(dir.resolve("alertmanager.yml"), """
                route:
                  receiver: opsdeck
                  group_by: [alertname]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: opsdeck
                    webhook_configs:
                      - url: %s/api/v1/intake/alertmanager
                        send_resolved: true
                        http_config:
                          authorization:
                            credentials: %s
                """.formatted(opsdeck.url(), ApiHarness.AM_TOKEN));
        alertmanager = new ProcessBuilder(
                        BINARY.toString(),
                        "--config.file=" + config,
                        "--storage.path=" + Files.createDirectories(dir.resolve("am-data")),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--cluster.listen-address=",
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("alertmanager.log").toFile())
                .start();
        TestServer.awaitHttp(() -> get(amUrl + "/-/ready").statusCode() == 200, "Alertmanager ready on " + amUrl);
    }

    @AfterAll
    static void stop() throws Exception {
        if (alertmanager != null) {
            alertmanager.destroy();
            if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) alertmanager.destroyForcibly();
        }
        if (opsdeck != null) opsdeck.close();
    }

    @Test
    void anAlertThroughAlertmanagerOpensAnIncidentAndItsEndResolvesIt() throws Exception {
        Instant started = Instant.now().minusSeconds(60);
        postAlert(started, null);
        long[] id = new long[1];
        TestServer.awaitHttp(
                () -> {
                    for (JsonNode i :
                            opsdeck.json("/api/v1/incidents?service=escrow-api").path("incidents")) {
                        id[0] = i.path("id").asLong();
                        return true;
                    }
                    return false;
                },
                "the incident opened through Alertmanager; its log: " + dir.resolve("alertmanager.log"));
        JsonNode incident = opsdeck.json("/api/v1/incidents/" + id[0]);
        assertThat(incident.path("state").asText()).isEqualTo("triggered");
        assertThat(incident.path("severity").asText()).isEqualTo("P2");
        assertThat(incident.path("title").asText()).isEqualTo("escrow API answers 5xx");
        assertThat(incident.path("runbook").asText()).isEqualTo("https://runbooks.example/RB-003");
        assertThat(incident.path("alerts")
                        .get(0)
                        .path("labels")
                        .path("alertname")
                        .asText())
                .isEqualTo("ApiErrors");

        postAlert(started, Instant.now().minusSeconds(5));
        TestServer.awaitHttp(
                () -> opsdeck.json("/api/v1/incidents/" + id[0])
                        .path("state")
                        .asText()
                        .equals("resolved"),
                "the incident resolved through Alertmanager");
        assertThat(opsdeck.json("/api/v1/incidents/" + id[0])
                        .path("resolved_by")
                        .asText())
                .isEqualTo("opsdeck");
        assertThat(opsdeck.json("/api/v1/incidents?service=escrow-api").path("incidents"))
                .hasSize(1);
    }

    /** Posts the alert to Alertmanager's API; with {@code endsAt} in the past it is resolved. */
    private static void postAlert(Instant startsAt, Instant endsAt) throws Exception {
        String alert = """
                [{"labels": {"alertname": "ApiErrors", "service": "escrow-api", "severity": "high"},
                  "annotations": {"summary": "escrow API answers 5xx", "runbook_url": "https://runbooks.example/RB-003"},
                  "startsAt": "%s"%s}]""".formatted(startsAt, endsAt == null ? "" : ", \"endsAt\": \"" + endsAt + "\"");
        HttpResponse<String> r = ApiHarness.HTTP.send(
                HttpRequest.newBuilder(URI.create(amUrl + "/api/v2/alerts"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(alert))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return ApiHarness.HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
