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
 * A channel that is both in {@code incidents.notify} and the channel of the contact the escalation pages gets one
 * message per incident step, counted at a real webhook receiver; the missed-target message names its target.
 */
class OneMessagePerChannelEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void aChannelInNotifyAndPagedByTheEscalationGetsOneMessagePerStep() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver();
        ServerSocket indexer = new ServerSocket(0);
        try {
            Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                    server: { data_dir: "%s" }
                    monitoring: { jitter: 0%% }
                    channels:
                      hook: { type: webhook, url: "%s" }
                    incidents: { notify: [hook], ack_sla: { P2: 1s } }
                    contacts:
                      lead: { name: Lena Lead, notify: [hook] }
                    escalation_policies:
                      everything: { default: true, steps: [{ contacts: [lead], wait: 1h }] }
                    services:
                      indexer:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                    """.formatted(
                            dir.resolve("data"), receiver.url(), indexer.getLocalPort()));
            try (TestServer server = new TestServer(config)) {
                indexer.close();
                TestServer.await(() -> receiver.count("incident.triggered") >= 1, "the page");
                long id = server.json("/api/v1/incidents?state=open&service=indexer")
                        .path("incidents")
                        .get(0)
                        .path("id")
                        .asLong();
                Thread.sleep(1_500); // a second message would have come by now, and the 1 s target has passed
                server.server.incidents().tick(); // the housekeeping beat flags the missed target
                TestServer.await(() -> receiver.count("incident.sla_breached") == 1, "the missed target");
                Thread.sleep(500);

                List<JsonNode> triggered = receiver.received.stream()
                        .filter(m -> m.path("template").asText().equals("incident.triggered"))
                        .toList();
                assertThat(triggered)
                        .as("one page to the channel, the one naming the person paged")
                        .singleElement()
                        .satisfies(
                                m -> assertThat(m.path("fields").path("paged").asText())
                                        .isEqualTo("Lena Lead"));
                JsonNode breach = receiver.received.stream()
                        .filter(m -> m.path("template").asText().equals("incident.sla_breached"))
                        .findFirst()
                        .orElseThrow();
                assertThat(breach.path("headline").asText())
                        .startsWith("[P2] Incident " + id + " breached its acknowledgement SLA: indexer")
                        .doesNotContain("  ");
                // the incident lists each message once
                JsonNode detail = server.json("/api/v1/incidents/" + id);
                List<String> templates = new ArrayList<>();
                detail.path("notifications")
                        .forEach(n -> templates.add(n.path("template").asText()));
                assertThat(templates).containsExactly("incident.triggered", "incident.sla_breached");
            }
        } finally {
            indexer.close();
            receiver.close();
        }
    }
}
