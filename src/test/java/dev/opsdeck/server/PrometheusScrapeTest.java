package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian package {@code prometheus}, the one that also ships {@code promtool}) scraping
 * Opsdeck's {@code /metrics}: the exposition parses, check states arrive as values, and with
 * {@code auth.public_metrics: false} an API key sent as scrape credentials is accepted while a scrape without
 * one is refused with 401.
 */
class PrometheusScrapeTest {
    static final Path BINARY = Path.of("/usr/bin/prometheus");
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    static TestServer open;
    static TestServer closed;
    static ServerSocket listening;
    static Process prometheus;
    static String promUrl;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(BINARY))
                .as(
                        "%s is missing: install it with `apt-get install -y prometheus`"
                                + " (the package that provides promtool; .ci/run installs it)",
                        BINARY)
                .isTrue();
        listening = new ServerSocket(0);
        // accept and close, or the backlog fills with the probes' connections and the port stops answering
        Thread.ofVirtual().start(() -> {
            while (!listening.isClosed()) {
                try {
                    listening.accept().close();
                } catch (IOException e) {
                    // closed at the end
                }
            }
        });
        int closedPort = freePort();
        open = new TestServer(Files.writeString(dir.resolve("public.yaml"), """
                server: { data_dir: "%s" }
                services:
                  web:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                  db:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                """.formatted(
                        dir.resolve("public-data"), listening.getLocalPort(), closedPort)));
        closed = new TestServer(Files.writeString(
                dir.resolve("private.yaml"), """
                server: { data_dir: "%s" }
                auth: { public_metrics: false }
                services:
                  web:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s }
                """.formatted(dir.resolve("private-data"), listening.getLocalPort())));
        int port = freePort();
        promUrl = "http://127.0.0.1:" + port;
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: opsdeck
                    static_configs: [ { targets: ["%s"] } ]
                  - job_name: opsdeck-key
                    authorization: { credentials: "%s" }
                    static_configs: [ { targets: ["%s"] } ]
                  - job_name: opsdeck-nokey
                    static_configs: [ { targets: ["%s"] } ]
                """.formatted(
                        hostPort(open), closed.token, hostPort(closed), hostPort(closed)));
        prometheus = new ProcessBuilder(
                        BINARY.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + Files.createDirectories(dir.resolve("tsdb")),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        TestServer.awaitHttp(() -> get(promUrl + "/-/ready").statusCode() == 200, "Prometheus ready on " + promUrl);
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS))
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (open != null) open.close();
        if (closed != null) closed.close();
        if (listening != null) listening.close();
    }

    @Test
    void prometheusScrapesCheckStatesAndScheduleLag() throws Exception {
        TestServer.awaitHttp(
                () -> {
                    JsonNode t = target("opsdeck");
                    return t != null
                            && t.path("health").asText().equals("up")
                            && t.path("lastError").asText().isEmpty();
                },
                "the public target up in Prometheus");
        // both checks have a verdict once each series exists with the expected value
        JsonNode[] last = new JsonNode[1];
        try {
            TestServer.awaitHttp(
                    () -> {
                        last[0] = query("opsdeck_check_up{job=\"opsdeck\"}");
                        Map<String, Double> up = byService(last[0]);
                        return up.getOrDefault("web", -1.0) == 1.0 && up.getOrDefault("db", -1.0) == 0.0;
                    },
                    "opsdeck_check_up: 1 for the open port, 0 for the closed one");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last answer: " + last[0], e);
        }
        Map<String, Double> up = byService(query("opsdeck_check_up{job=\"opsdeck\"}"));
        assertThat(up).containsEntry("web", 1.0).containsEntry("db", 0.0);
        JsonNode lag = query("opsdeck_schedule_lag_seconds_count{job=\"opsdeck\"}");
        assertThat(lag).as("schedule lag series: %s", lag).isNotEmpty();
        assertThat(lag.get(0).path("value").get(1).asDouble()).isGreaterThan(0);
    }

    @Test
    void withPrivateMetricsAKeyIsAcceptedAndNoKeyIsRefused() throws Exception {
        TestServer.awaitHttp(
                () -> {
                    JsonNode t = target("opsdeck-key");
                    return t != null
                            && t.path("health").asText().equals("up")
                            && t.path("lastError").asText().isEmpty();
                },
                "the target scraped with an API key up");
        TestServer.awaitHttp(
                () -> {
                    JsonNode t = target("opsdeck-nokey");
                    return t != null && t.path("health").asText().equals("down");
                },
                "the target scraped without a key down");
        JsonNode refused = target("opsdeck-nokey");
        assertThat(refused.path("lastError").asText()).as("%s", refused).contains("401");
        TestServer.awaitHttp(
                () -> !query("opsdeck_check_up{job=\"opsdeck-key\",service=\"web\"}")
                        .isEmpty(),
                "series from the keyed scrape");
        assertThat(query("up{job=\"opsdeck-nokey\"}")
                        .get(0)
                        .path("value")
                        .get(1)
                        .asDouble())
                .isEqualTo(0);
    }

    /** The active target of a scrape job, or null before its first scrape. */
    static JsonNode target(String job) throws Exception {
        JsonNode body = TestServer.JSON.readTree(
                get(promUrl + "/api/v1/targets?state=active").body());
        for (JsonNode t : body.path("data").path("activeTargets")) {
            if (t.path("labels").path("job").asText().equals(job)
                    && !t.path("lastScrape").asText().startsWith("0001")) {
                return t;
            }
        }
        return null;
    }

    static JsonNode query(String promql) throws Exception {
        JsonNode body = TestServer.JSON.readTree(
                get(promUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                        .body());
        assertThat(body.path("status").asText()).as("%s", body).isEqualTo("success");
        return body.path("data").path("result");
    }

    static Map<String, Double> byService(JsonNode result) {
        Map<String, Double> out = new HashMap<>();
        for (JsonNode r : result)
            out.put(
                    r.path("metric").path("service").asText(),
                    r.path("value").get(1).asDouble());
        return out;
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String hostPort(TestServer server) {
        return URI.create(server.url()).getAuthority();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
