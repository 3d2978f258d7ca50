package dev.opsdeck.checklist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checklist item's regression alert is an alert like a rule's: on a real server, an item proven by a listening
 * port passes, fails twice and passes again, and {@code GET /api/v1/alerts} lists its {@code ChecklistItemFailed}
 * exactly while it fires, dated from the first failing run, beside its open incident.
 */
class ChecklistAlertsApiTest {
    @TempDir
    Path dir;

    @Test
    void aRegressedItemIsListedAsFiringUntilARunProvesItAgain() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                checklists:
                  launch:
                    sections:
                      - items:
                          - { id: api-port, title: API listens, type: tcp, host: 127.0.0.1, port: %d, timeout: 2s }
                          - { id: runbook-doc, title: Runbook reviewed, severity: recommended, manual: { expires: 30d } }
                """.formatted(dir.resolve("data"), port));
        try (TestServer server = new TestServer(config)) {
            Checklists checklists = server.server.checklists();
            try (ServerSocket listening = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                checklists.run("launch", "manual", "ops");
            }
            assertThat(server.json("/api/v1/alerts").path("alerts"))
                    .as("an item never proven (runbook-doc) raises nothing")
                    .isEmpty();

            long firstFailure = checklists.run("launch", "manual", "ops").run().startedMs();
            checklists.run("launch", "manual", "ops"); // still failing: still one alert, still dated the first failure
            JsonNode alerts = server.json("/api/v1/alerts?state=firing").path("alerts");
            assertThat(alerts).hasSize(1);
            JsonNode a = alerts.get(0);
            assertThat(a.path("fingerprint").asText()).isEqualTo("checklist/launch/api-port");
            assertThat(a.path("name").asText()).isEqualTo("ChecklistItemFailed");
            assertThat(a.path("state").asText()).isEqualTo("firing");
            assertThat(a.path("severity").asText()).isEqualTo("P2");
            assertThat(Instant.parse(a.path("since").asText()).toEpochMilli()).isEqualTo(firstFailure);
            assertThat(a.path("summary").asText()).startsWith("checklist launch: API listens is failed: ");
            assertThat(a.path("labels").path("checklist").asText()).isEqualTo("launch");
            assertThat(a.path("labels").path("item").asText()).isEqualTo("api-port");
            assertThat(a.path("labels").path("severity").asText()).isEqualTo("required");
            assertThat(a.path("service").isNull()).isTrue();
            assertThat(a.path("value").isNull()).isTrue();
            assertThat(server.json("/api/v1/alerts?state=pending").path("alerts"))
                    .isEmpty();
            TestServer.awaitHttp(
                    () -> server.json("/api/v1/incidents?state=open")
                                    .path("incidents")
                                    .size()
                            == 1,
                    "the regression's incident");
            assertThat(server.json("/api/v1/incidents?state=open")
                            .path("incidents")
                            .get(0)
                            .path("title")
                            .asText())
                    .startsWith("checklist launch: API listens is failed: ");

            try (ServerSocket listening = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                checklists.run("launch", "manual", "ops");
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
