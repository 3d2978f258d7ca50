package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.auth.Role;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy records as the server wires them to the incidents: a deploy a CI tool recorded through the API, then an
 * outage of its service. The page at a real webhook receiver and the incident's page name the production deploy
 * (not the staging one); /metrics and {@code GET /api/v1/deploys/dora} count it as a failed change.
 */
class DeployLinksEndToEndTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    static HttpResponse<String> post(TestServer server, String key, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String record(String id, String environment, String version, long startedMs, long finishedMs) {
        return """
                {"external_id": "%s", "service": "database", "environment": "%s", "version": "%s",
                 "state": "succeeded", "started_at": "%s", "finished_at": "%s"}""".formatted(
                        id, environment, version, Instant.ofEpochMilli(startedMs), Instant.ofEpochMilli(finishedMs));
    }

    @Test
    void aRecordedDeployIsNamedByTheOutageAfterItAndCountedOnMetrics() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver();
        ServerSocket database = new ServerSocket(0);
        try {
            Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                    server: { data_dir: "%s" }
                    monitoring: { jitter: 0%% }
                    channels:
                      hook: { type: webhook, url: "%s" }
                    incidents: { notify: [hook] }
                    services:
                      database:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                    """.formatted(
                            dir.resolve("data"), receiver.url(), database.getLocalPort()));
            try (TestServer server = new TestServer(config)) {
                String ci = server.server
                        .access()
                        .apiKeys()
                        .create("github-actions", "ci", Role.RESPONDER, true, null)
                        .secret();
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/services/database")
                                .path("status")
                                .asText()
                                .equals("up"),
                        "database up");
                long now = System.currentTimeMillis();
                // ended 12.5 minutes ago: still "12 min before" an incident opening in the next 30 s
                HttpResponse<String> prod = post(
                        server,
                        ci,
                        "/api/v1/deploys",
                        record("gha-1", "production", "v2.0.0", now - 15 * 60_000, now - 750_000));
                assertThat(prod.statusCode()).as(prod.body()).isEqualTo(201);
                HttpResponse<String> staging = post(
                        server,
                        ci,
                        "/api/v1/deploys",
                        record("gha-2", "staging", "v2.1.0-rc1", now - 5 * 60_000, now - 4 * 60_000));
                assertThat(staging.statusCode()).as(staging.body()).isEqualTo(201);
                database.close(); // the outage

                TestServer.awaitHttp(() -> receiver.count("triggered") > 0, "a page at the webhook");
                JsonNode page = receiver.received.stream()
                        .filter(m -> m.toString().contains("triggered"))
                        .findFirst()
                        .orElseThrow();
                String line = page.path("fields").path("recent_changes").asText();
                assertThat(line)
                        .startsWith("database v2.0.0 deployed 12 min before, by ")
                        .doesNotContain("v2.1.0-rc1");
                assertThat(page.path("text").asText()).contains("\nRecent changes: " + line + "\n");

                long id = server.json("/api/v1/incidents?state=triggered")
                        .path("incidents")
                        .get(0)
                        .path("id")
                        .asLong();
                assertThat(server.get("/incidents/" + id).body())
                        .contains("<ul id=\"recent-changes\"><li>" + line + "</li></ul>");

                String metrics = server.get("/metrics").body();
                assertThat(metrics)
                        .contains("# TYPE opsdeck_deploys_in_window gauge")
                        .contains("\nopsdeck_deploys_in_window{service=\"database\"} 1\n")
                        .contains("\nopsdeck_deploy_change_failure_ratio{service=\"database\"} 1\n")
                        .contains("\nopsdeck_deploy_window_seconds 2592000\n")
                        .contains("jvm_"); // the registry's own lines are still there

                JsonNode dora = server.json("/api/v1/deploys/dora?service=database&days=7");
                assertThat(dora.path("days").asInt()).isEqualTo(7);
                assertThat(dora.path("failure_window_seconds").asLong()).isEqualTo(3600);
                assertThat(dora.path("figures").path("deploys").asInt()).isEqualTo(1);
                assertThat(dora.path("figures").path("change_failure_rate").asDouble())
                        .isEqualTo(1.0);
                assertThat(dora.path("failures").get(0).path("deploy").asText())
                        .isEqualTo(
                                TestServer.JSON.readTree(prod.body()).path("id").asText());
                JsonNode all = server.json("/api/v1/deploys/dora");
                assertThat(all.path("days").asInt()).isEqualTo(30);
                assertThat(all.path("overall").path("deploys").asInt()).isEqualTo(1); // not the staging one
                assertThat(all.path("services").has("database")).isTrue();
                JsonNode none = server.json("/api/v1/deploys/dora?service=nothing");
                assertThat(none.path("figures").path("deploys").asInt()).isZero();
                assertThat(none.path("figures").path("change_failure_rate").isNull())
                        .isTrue();
                for (String bad : new String[] {"0", "366", "week"}) {
                    HttpResponse<String> r = server.get("/api/v1/deploys/dora?days=" + bad);
                    assertThat(r.statusCode()).as(bad).isEqualTo(400);
                    assertThat(r.body()).contains("days: expected a whole number from 1 to 365");
                }
            }
        } finally {
            database.close();
            receiver.close();
        }
    }
}
