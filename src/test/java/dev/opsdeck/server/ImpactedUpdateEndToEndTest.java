package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL and the two services that depend on it fail together, through the whole server: PostgreSQL pages,
 * and whoever it paged learns which services it impacts — in the page, or in one update — at a real webhook.
 */
class ImpactedUpdateEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void thePagedLearnWhichServicesTheRootCauseImpacts() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver();
        ServerSocket postgres = new ServerSocket(0), api = new ServerSocket(0), indexer = new ServerSocket(0);
        try {
            Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                    server: { data_dir: "%s" }
                    monitoring: { jitter: 0%% }
                    channels:
                      hook: { type: webhook, url: "%s" }
                    incidents: { notify: [hook] }
                    services:
                      postgres:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                      api:
                        depends_on: [postgres]
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                      indexer:
                        depends_on: [postgres]
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                    """.formatted(
                            dir.resolve("data"),
                            receiver.url(),
                            postgres.getLocalPort(),
                            api.getLocalPort(),
                            indexer.getLocalPort()));
            try (TestServer server = new TestServer(config)) {
                postgres.close();
                api.close();
                indexer.close();
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/incidents?state=open")
                                                .path("incidents")
                                                .size()
                                        == 1
                                && server.json("/api/v1/incidents?state=open")
                                                .path("incidents")
                                                .get(0)
                                                .path("impacted")
                                                .size()
                                        == 2,
                        "one incident, postgres's, with both dependents");
                TestServer.await(() -> receiver.count("incident.triggered") == 1, "the page");
                Thread.sleep(10_500); // the update's wait
                server.server.incidents().tick(); // the housekeeping beat hands it over
                TestServer.await(() -> lastImpacted(receiver).size() == 2, "the impacted services told");
                Thread.sleep(500);

                assertThat(lastImpacted(receiver)).containsExactly("api", "indexer");
                assertThat(receiver.count("incident.triggered")).isEqualTo(1);
                assertThat(receiver.count("incident.impacted"))
                        .as("one update at most")
                        .isLessThanOrEqualTo(1);
                JsonNode page = receiver.received.stream()
                        .filter(m -> m.path("template").asText().equals("incident.triggered"))
                        .findFirst()
                        .orElseThrow();
                assertThat(page.path("fields").path("root_cause").asText()).isEqualTo("postgres");
            }
        } finally {
            postgres.close();
            api.close();
            indexer.close();
            receiver.close();
        }
    }

    /** The impacted services named by the latest incident message received. */
    private static List<String> lastImpacted(WebhookReceiver receiver) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : receiver.received) {
            if (!m.path("template").asText().startsWith("incident.")) continue;
            out.clear();
            m.path("fields").path("impacted").forEach(s -> out.add(s.asText()));
        }
        return out;
    }
}
