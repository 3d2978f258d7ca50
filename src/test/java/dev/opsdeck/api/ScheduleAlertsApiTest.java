package dev.opsdeck.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schedule's alert is an alert like a rule's: a real server runs a schedule whose check fails, then passes, and
 * {@code GET /api/v1/alerts} lists the schedule's alert exactly while it fires and its incident is open.
 */
class ScheduleAlertsApiTest {
    @TempDir
    Path dir;

    @Test
    void aFailedScheduleRunIsListedAsFiringUntilARunEndsOk() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                services:
                  api:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 1h }
                schedules:
                  port-check: { cron: "0 0 1 1 *", check: api/port, alert: { severity: P2 } }
                """.formatted(dir.resolve("data"), port));
        try (TestServer server = new TestServer(config)) {
            assertThat(server.json("/api/v1/alerts").path("alerts")).isEmpty();

            server.server.scheduler().runNow("port-check", "ops");
            assertThat(server.server.scheduler().awaitIdle(Duration.ofSeconds(20)))
                    .isTrue();
            JsonNode incidents = server.json("/api/v1/incidents?state=open").path("incidents");
            assertThat(incidents).hasSize(1);
            String title = incidents.get(0).path("title").asText();
            assertThat(title).startsWith("schedule port-check failed: down: ");

            JsonNode alerts = server.json("/api/v1/alerts?state=firing").path("alerts");
            assertThat(alerts).hasSize(1);
            JsonNode a = alerts.get(0);
            assertThat(a.path("fingerprint").asText()).isEqualTo("schedule/port-check/failed");
            assertThat(a.path("name").asText()).isEqualTo("ScheduleFailed");
            assertThat(a.path("state").asText()).isEqualTo("firing");
            assertThat(a.path("severity").asText()).isEqualTo("P2");
            assertThat(a.path("summary").asText()).isEqualTo(title);
            assertThat(a.path("labels").path("result").asText()).isEqualTo("failed");
            assertThat(a.path("value").isNull()).isTrue();
            assertThat(a.path("service").isNull()).isTrue();
            assertThat(a.path("labels").path("schedule").asText()).isEqualTo("port-check");
            assertThat(a.path("labels").path("target").asText()).isEqualTo("check:api/port");
            assertThat(server.json("/api/v1/alerts?state=pending").path("alerts"))
                    .isEmpty();

            // the target answers again: the next run ends ok, resolves the alert and with it the incident
            try (ServerSocket listening = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                server.server.scheduler().runNow("port-check", "ops");
                assertThat(server.server.scheduler().awaitIdle(Duration.ofSeconds(20)))
                        .isTrue();
            }
            assertThat(server.json("/api/v1/alerts").path("alerts")).isEmpty();
            TestServer.awaitHttp(
                    () -> server.json("/api/v1/incidents?state=open")
                            .path("incidents")
                            .isEmpty(),
                    "the incident to resolve");
        }
    }
}
