package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A silence through the whole server: the indexer goes down while a silence matches it, so its incident is
 * recorded and a real webhook receiver gets no page; the silence is expired, and the next outage pages.
 */
class SilenceEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void aSilencedOutageIsRecordedWithoutPagingAndPagesAgainOnceExpired() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver();
        List<JsonNode> received = receiver.received;
        ServerSocket indexer = listen(0);
        int port = indexer.getLocalPort();
        try {
            Path config = Files.writeString(
                    dir.resolve("opsdeck.yaml"), """
                    server: { data_dir: "%s" }
                    monitoring: { jitter: 0%% }
                    channels:
                      hook: { type: webhook, url: "%s" }
                    incidents: { notify: [hook] }
                    services:
                      indexer:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                    """.formatted(dir.resolve("data"), receiver.url(), port));
            try (TestServer server = new TestServer(config)) {
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/services/indexer")
                                .path("status")
                                .asText()
                                .equals("up"),
                        "indexer up");
                HttpResponse<String> created = send(server, "POST", "/api/v1/silences", """
                        {"matchers": [{"name": "service", "op": "=", "value": "indexer"}], "duration": "1h", "comment": "deploy"}""");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                long silence =
                        TestServer.JSON.readTree(created.body()).path("id").asLong();

                indexer.close(); // silenced outage
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/incidents?state=open")
                                        .path("incidents")
                                        .size()
                                == 1,
                        "the silenced outage recorded as an incident");
                JsonNode incident = server.json("/api/v1/incidents?state=open")
                        .path("incidents")
                        .get(0);
                assertThat(incident.path("state").asText()).isEqualTo("triggered");
                JsonNode detail =
                        server.json("/api/v1/incidents/" + incident.path("id").asText());
                assertThat(detail.path("alerts").get(0).path("suppressed").asBoolean())
                        .as("%s", detail)
                        .isTrue();
                // the timeline names the silence that held the page back
                JsonNode fired = null;
                for (JsonNode t : detail.path("timeline"))
                    if (t.path("kind").asText().equals("alert_fired")) fired = t;
                assertThat(fired).as("%s", detail).isNotNull();
                assertThat(fired.path("text").asText()).endsWith("(not paged: silenced by silence #" + silence + ")");

                indexer = listen(port); // back: the resolution is always told, the page never was
                TestServer.awaitHttp(
                        () -> received.stream().anyMatch(m -> m.toString().contains("resolved")),
                        "the resolution at the webhook");
                assertThat(received.stream().filter(m -> m.toString().contains("triggered")))
                        .as("no page")
                        .isEmpty();

                assertThat(send(server, "DELETE", "/api/v1/silences/" + silence, null)
                                .statusCode())
                        .isEqualTo(200);
                indexer.close(); // the next outage pages
                TestServer.awaitHttp(
                        () -> received.stream().anyMatch(m -> m.toString().contains("triggered")),
                        "a page once the silence is expired");
                assertThat(server.json("/api/v1/audit?action=silence.")
                                .path("entries")
                                .size())
                        .isEqualTo(2);
            }
        } finally {
            indexer.close();
            receiver.close();
        }
    }

    /**
     * A port that answers: connections are accepted and closed, so the 200 ms probes never fill the listen
     * backlog (which made the check time out, "down", when the server started slowly on a loaded machine).
     */
    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket(port);
        Thread.ofVirtual().start(() -> {
            while (!s.isClosed()) {
                try {
                    s.accept().close();
                } catch (IOException closed) {
                    return; // the outage: the test closed the port
                }
            }
        });
        return s;
    }

    private static HttpResponse<String> send(TestServer server, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + server.token)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
