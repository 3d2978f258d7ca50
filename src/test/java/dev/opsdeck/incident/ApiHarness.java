package dev.opsdeck.incident;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real server with two integrations ({@code prom}: alertmanager, {@code ci}: events) and one webhook channel
 * every incident is told to, and plain HTTP against it.
 */
final class ApiHarness implements AutoCloseable {
    static final String AM_TOKEN = "am-token-0123456789abcdef";
    static final String EV_TOKEN = "ev-token-0123456789abcdef";
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final TestServer server;

    ApiHarness(Path dir) throws Exception {
        Path config =
                Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                channels:
                  ops: { type: webhook, url: "http://127.0.0.1:9/hook" }
                incidents:
                  notify: [ops]
                integrations:
                  prom: { type: alertmanager, token: "%s" }
                  ci: { type: events, token: "%s" }
                services:
                  api:
                    checks:
                      ping: { type: tcp, host: 127.0.0.1, port: 9, interval: 1h }
                """.formatted(dir.resolve("data"), AM_TOKEN, EV_TOKEN));
        server = new TestServer(config);
    }

    String url() {
        return server.url();
    }

    /** {@code token} null: no Authorization header. */
    HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As the admin (the server's test key). */
    HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, server.token, body);
    }

    HttpResponse<String> get(String path) throws Exception {
        return server.get(path);
    }

    JsonNode json(String path) throws Exception {
        return TestServer.JSON.readTree(get(path).body());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return TestServer.JSON.readTree(r.body());
    }

    static String alertmanager(String status, String fingerprint, String alertname, String endsAt) {
        return ("{'version': '4', 'status': '%1$s', 'receiver': 'opsdeck', 'groupKey': '{}:{}', 'alerts': [{'status': '%1$s',"
                        + " 'labels': {'alertname': '%3$s', 'severity': 'critical', 'service': 'indexer'},"
                        + " 'annotations': {'summary': '%3$s on indexer', 'runbook_url': 'https://runbooks.example/RB-002'},"
                        + " 'startsAt': '2025-06-04T07:59:00Z', 'endsAt': '%4$s', 'fingerprint': '%2$s'}]}")
                .formatted(status, fingerprint, alertname, endsAt)
                .replace('\'', '"');
    }

    @Override
    public void close() {
        server.close();
    }
}
