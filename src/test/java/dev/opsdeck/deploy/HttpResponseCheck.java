package dev.opsdeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A POST as the test server's admin that must be accepted (202); the deploy's id. */
final class HttpResponseCheck {
    private HttpResponseCheck() {}

    static String accepted(TestServer server, String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + path))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + server.token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return TestServer.JSON.readTree(r.body()).path("id").asText();
    }
}
