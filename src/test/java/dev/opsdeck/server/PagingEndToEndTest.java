package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watching, paging and telling, through the whole server: a database goes down under an API that
 * depends on it; one incident opens for the root cause with the API attached as impacted, and a real
 * webhook receiver gets the page; the database comes back and the resolution arrives too.
 *
 * <p>The api needs three failures to count as down, so the database is known down first. When a
 * dependent is judged down before its dependency, it still pages on its own today (no group wait yet).
 */
class PagingEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void aRootCauseOutageOpensOneIncidentAndPagesAWebhookThenResolves() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver();
        List<JsonNode> received = receiver.received;
        ServerSocket database = new ServerSocket(0);
        int dbPort = database.getLocalPort();
        try {
            Path config = Files.writeString(
                    dir.resolve("opsdeck.yaml"), """
                    server: { data_dir: "%s" }
                    monitoring: { jitter: 0%% }
                    channels:
                      hook: { type: webhook, url: "%s" }
                    incidents: { notify: [hook] }
                    services:
                      database:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                      api:
                        depends_on: [database]
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                    """.formatted(dir.resolve("data"), receiver.url(), dbPort, dbPort));
            try (TestServer server = new TestServer(config)) {
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/services/database")
                                .path("status")
                                .asText()
                                .equals("up"),
                        "database up");
                database.close(); // the outage: both checks fail, the api because of the database

                TestServer.awaitHttp(
                        () -> received.stream().anyMatch(m -> m.toString().contains("triggered")),
                        "a page at the webhook");
                JsonNode open = server.json("/api/v1/incidents?state=triggered");
                assertThat(open.path("incidents"))
                        .as("one outage, one incident: %s", open)
                        .hasSize(1);
                JsonNode incident = server.json("/api/v1/incidents/"
                        + open.path("incidents").get(0).path("id").asText());
                assertThat(incident.toString()).contains("database");
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/incidents/"
                                        + incident.path("id").asText())
                                .toString()
                                .contains("\"api\""),
                        "the api attached as impacted");
                assertThat(received.stream().filter(m -> m.toString().contains("triggered")))
                        .as("paged once")
                        .hasSize(1);
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/incidents/"
                                        + incident.path("id").asText())
                                .toString()
                                .contains("incident.triggered to hook: delivered on attempt 1"),
                        "the delivery on the timeline");

                database = new ServerSocket(dbPort); // back
                TestServer.awaitHttp(
                        () -> received.stream().anyMatch(m -> m.toString().contains("resolved")),
                        "the resolution at the webhook");
                assertThat(server.json("/api/v1/incidents/"
                                        + incident.path("id").asText())
                                .path("state")
                                .asText())
                        .isEqualTo("resolved");
            }
        } finally {
            database.close();
            receiver.close();
        }
    }
}
