package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.deploy.Correlation;
import dev.opsdeck.deploy.Deploy;
import dev.opsdeck.deploy.DeployState;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real outage through the whole server, with the deploys before it plugged into the incidents' seam as the server
 * will plug the deploy records: the page at a real webhook receiver and the incident's page name them, newest first,
 * counted back from the incident's opening; text from a deploy record stays text on the page.
 */
class RecentChangesEndToEndTest {
    static final long MIN = 60_000;

    @TempDir
    Path dir;

    static Deploy deploy(String id, String service, String version, String actor, DeployState state, long endedMs) {
        return new Deploy(
                id,
                service,
                "production",
                version,
                null,
                null,
                null,
                null,
                Deploy.SOURCE_CI,
                actor,
                state,
                null,
                null,
                null,
                null,
                endedMs - 2 * MIN,
                endedMs - 2 * MIN,
                endedMs,
                null);
    }

    @Test
    void theWebhookPageAndTheIncidentPageNameTheDeploysBeforeTheOutage() throws Exception {
        long now = System.currentTimeMillis();
        // ended 12.5 and 40.5 minutes ago: still "12 min" and "40 min" before an incident opening in the next 30 s
        List<Deploy> deploys = List.of(
                deploy("d1", "database", "v16.3", "ci", DeployState.SUCCEEDED, now - 12 * MIN - 30_000),
                deploy("d2", "database", "<b>v16.2</b>", "alice", DeployState.ROLLED_BACK, now - 40 * MIN - 30_000),
                deploy("d3", "web", "v9", "ci", DeployState.SUCCEEDED, now - 5 * MIN)); // not in the outage
        WebhookReceiver receiver = new WebhookReceiver();
        ServerSocket database = new ServerSocket(0);
        ServerSocket web = new ServerSocket(0);
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
                      web:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d, interval: 1h, timeout: 1s }
                    """.formatted(
                            dir.resolve("data"), receiver.url(), database.getLocalPort(), web.getLocalPort()));
            try (TestServer server = new TestServer(config)) {
                server.server
                        .incidents()
                        .recentChangesFrom((services, openedMs) ->
                                Correlation.lines(deploys, services, openedMs, Correlation.DEFAULT_WINDOW));
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/services/database")
                                .path("status")
                                .asText()
                                .equals("up"),
                        "database up");
                database.close(); // the outage

                TestServer.awaitHttp(() -> receiver.count("triggered") > 0, "a page at the webhook");
                JsonNode page = receiver.received.stream()
                        .filter(m -> m.toString().contains("triggered"))
                        .findFirst()
                        .orElseThrow();
                String lines = "database v16.3 deployed 12 min before, by ci; "
                        + "database <b>v16.2</b> deployed 40 min before, by alice (rolled back)";
                assertThat(page.path("fields").path("recent_changes").asText()).isEqualTo(lines);
                assertThat(page.path("text").asText())
                        .contains("\nRoot cause: database\nRecent changes: " + lines + "\n")
                        .doesNotContain("web v9");

                long id = server.json("/api/v1/incidents?state=triggered")
                        .path("incidents")
                        .get(0)
                        .path("id")
                        .asLong();
                String html = server.get("/incidents/" + id).body();
                assertThat(html)
                        .contains("<dt>Recent changes</dt><dd><ul id=\"recent-changes\">"
                                + "<li>database v16.3 deployed 12 min before, by ci</li>"
                                + "<li>database &lt;b&gt;v16.2&lt;/b&gt; deployed 40 min before, by alice (rolled back)"
                                + "</li></ul></dd>")
                        .doesNotContain("<b>v16.2</b>");
            }
        } finally {
            database.close();
            web.close();
            receiver.close();
        }
    }
}
