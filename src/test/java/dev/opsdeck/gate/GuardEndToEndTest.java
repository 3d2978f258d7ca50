package dev.opsdeck.gate;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.auth.Role;
import dev.opsdeck.server.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The whole server under hostile input: per-key rate limits, injection strings in filters, secrets kept out of sight. */
class GuardEndToEndTest {
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String FILE_SECRET = "file-secret-7f3a9c1e";
    static final String INJECTION = "' OR 1=1 --";

    @TempDir
    static Path dir;

    static TestServer server;
    static ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        logs.start();
        Files.writeString(dir.resolve("token"), FILE_SECRET + "\n");
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                network: { rate_limit: { per_key: 30/1m } }
                services:
                  search:
                    checks:
                      health:
                        type: http
                        url: http://127.0.0.1:9/health
                        headers: { Authorization: "Bearer ${file:token}" }
                        interval: 1h
                """.formatted(dir.resolve("data")));
        server = new TestServer(config);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (server != null) server.close();
    }

    @Test
    void aKeyOverItsRateLimitGets429WithRetryAfterWhileAnotherKeyGoesOn() throws Exception {
        String key = server.server
                .access()
                .apiKeys()
                .create("busy", "admin", Role.VIEWER, false, null)
                .secret();
        String other = server.server
                .access()
                .apiKeys()
                .create("calm", "admin", Role.VIEWER, false, null)
                .secret();
        for (int i = 0; i < 30; i++)
            assertThat(get("/api/v1/services", key).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = get("/api/v1/services", key);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 60L);
        assertThat(limited.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(get("/api/v1/services", other).statusCode()).isEqualTo(200);
    }

    @Test
    void injectionStringsInEveryFilterAreJustText() throws Exception {
        String admin = TestServer.adminKey(server.server);
        String q = URLEncoder.encode(INJECTION, StandardCharsets.UTF_8);
        for (String param : List.of("actor", "action", "target")) {
            HttpResponse<String> r = get("/api/v1/audit?" + param + "=" + q, admin);
            assertThat(r.statusCode()).as(param).isEqualTo(200);
            assertThat(TestServer.JSON.readTree(r.body()).path("entries").size())
                    .as(param)
                    .isZero();
        }
        assertThat(get("/api/v1/audit?since=" + q, admin).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/audit?before=" + q, admin).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/audit?limit=" + q, admin).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/checks/search/health/history?window=" + q, admin)
                        .statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/checks/" + q.replace("+", "%20") + "/x/history", admin)
                        .statusCode())
                .isEqualTo(404);
        assertThat(get("/api/v1/services/" + q.replace("+", "%20"), admin).statusCode())
                .isEqualTo(404);
        HttpResponse<String> overview = get("/?q=" + q + "&status=" + q + "&page=" + q, admin);
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).doesNotContain("data-service=\"search\""); // matched nothing, showed nothing extra
        assertThat(get("/audit?actor=" + q + "&action=" + q + "&before=" + q, admin)
                        .statusCode())
                .isEqualTo(200);
        // and the tables are all still there
        assertThat(get("/api/v1/services", admin).statusCode()).isEqualTo(200);
        assertThat(server.server.access().users().find("admin")).isPresent();
    }

    @Test
    void secretsNeverReachLogsApiResponsesOrTheAuditLog() throws Exception {
        String admin = TestServer.adminKey(server.server);
        String initial = Files.readString(dir.resolve("data").resolve("initial-admin-password"))
                .strip();
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/apikeys"))
                        .header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ci\",\"role\":\"viewer\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        String newSecret =
                TestServer.JSON.readTree(created.body()).path("secret").asText();
        assertThat(get("/api/v1/me", newSecret).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/me", "odk_00000000_" + "x".repeat(43)).statusCode())
                .isEqualTo(401);

        StringBuilder seen = new StringBuilder();
        for (String path : List.of(
                "/api/v1/services",
                "/api/v1/services/search",
                "/api/v1/config/status",
                "/api/v1/apikeys?all=true",
                "/api/v1/users",
                "/api/v1/audit?limit=1000",
                "/api/v1/audit/export",
                "/metrics",
                "/",
                "/services/search",
                "/account",
                "/audit")) {
            HttpResponse<String> r = get(path, admin);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            seen.append(r.body());
        }
        String logText =
                logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
        for (String secret : List.of(FILE_SECRET, initial, newSecret, admin)) {
            assertThat(seen.toString()).as("API and pages").doesNotContain(secret);
            assertThat(logText).as("logs").doesNotContain(secret);
        }
        JsonNode keys =
                TestServer.JSON.readTree(get("/api/v1/apikeys?all=true", admin).body());
        assertThat(keys.path("keys").toString()).doesNotContain("hash").doesNotContain(newSecret.substring(13));
    }

    static HttpResponse<String> get(String path, String key) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
