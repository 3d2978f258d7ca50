package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.auth.Role;
import dev.opsdeck.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /deploys} over HTTP on a real server: the change log from recorded deploys, its filters, the DORA panel. */
class DeployPagesTest {
    @TempDir
    Path dir;

    @Test
    void theChangeLogListsRecordedDeploysNewestFirstWithFiltersAndDora() throws Exception {
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                services:
                  api:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: 9, interval: 1h, timeout: 1s }
                """.formatted(dir.resolve("data")));
        try (TestServer server = new TestServer(config)) {
            String ci = server.server
                    .access()
                    .apiKeys()
                    .create("pipeline", "ci", Role.RESPONDER, true, null)
                    .secret();
            HttpClient http = HttpClient.newHttpClient();
            for (String[] d : new String[][] {
                {"a", "v1.0.0", "succeeded", "2026-12-01T10:00:00Z"},
                {"b", "v1.1.0", "failed", "2026-12-02T10:00:00Z"}
            }) {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/deploys"))
                                .timeout(Duration.ofSeconds(20))
                                .header("Authorization", "Bearer " + ci)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"external_id\": \"" + d[0]
                                        + "\", \"service\": \"api\", \"version\": \"" + d[1] + "\", \"state\": \""
                                        + d[2] + "\", \"started_at\": \"" + d[3] + "\", \"finished_at\": \"" + d[3]
                                        + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            }
            HttpResponse<String> page = server.get("/deploys");
            assertThat(page.statusCode()).isEqualTo(200);
            String html = page.body();
            assertThat(html)
                    .contains("<h1>Deploys</h1>")
                    .contains("href=\"/deploys\"")
                    .contains("<table id=\"dora\">");
            assertThat(html.indexOf("<td class=\"mono\">v1.1.0</td>"))
                    .isPositive()
                    .isLessThan(html.indexOf("<td class=\"mono\">v1.0.0</td>")); // newest first
            assertThat(server.get("/deploys?state=failed").body())
                    .contains("<td class=\"mono\">v1.1.0</td>")
                    .doesNotContain(">succeeded</span>"); // v1.0.0 is only named as the previous version
            assertThat(html).contains(">succeeded</span>");
            assertThat(server.get("/deploys?service=other").body()).contains("No deploys recorded.");
            assertThat(server.anonymous("/deploys").statusCode()).isNotEqualTo(200);
        }
    }
}
