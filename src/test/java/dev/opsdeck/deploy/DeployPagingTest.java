package dev.opsdeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.opsdeck.server.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy whose gate target is a real HTTP server answering with a configured secret in a large body, whose rollback
 * fails, and whose deploy channel is a receiver that never answers. The stored evidence has the secret masked and the
 * body capped; the failed rollback pages P1 to a real webhook receiver; the hanging receiver holds nothing up; the
 * open P1 incident then freezes the service's deploys until an operator overrides the freeze with an audited reason.
 */
class DeployPagingTest {
    static final String SECRET = "vault-pass-8c1e55d0f2";
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    static TestServer server;
    static HttpServer target, hook;
    static ServerSocket hung;
    static final List<Socket> held = new CopyOnWriteArrayList<>();
    static final List<String> pages = new CopyOnWriteArrayList<>();
    static final AtomicReference<String> health = new AtomicReference<>("{\"status\": \"ok\"}");

    @BeforeAll
    static void start() throws Exception {
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/health", ex -> {
            byte[] b = health.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        target.start();
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            pages.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!hung.isClosed()) {
                try {
                    held.add(hung.accept()); // accepted, never answered
                } catch (IOException e) {
                    return;
                }
            }
        });
        Path secret = Files.writeString(dir.resolve("vault-password"), SECRET);
        Path broken = dir.resolve("broken");
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                channels:
                  pager: { type: webhook, url: "http://127.0.0.1:%d/hook" }
                  hung: { type: webhook, url: "http://127.0.0.1:%d/hook", timeout: 30s }
                incidents: { notify: [pager] }
                runbooks:
                  ship:
                    params: { version: { required: true, pattern: "^[0-9.]+$" } }
                    steps:
                      - id: install
                        type: shell
                        run: 'if [ -f "$BROKEN" ] && [ "$1" = 1.0.0 ]; then echo "image 1.0.0 is gone"; exit 1; fi; echo "installed $1"'
                        args: ["{{params.version}}"]
                        env: { BROKEN: "%s" }
                services:
                  vault:
                    checks:
                      health:
                        type: http
                        url: http://127.0.0.1:%d/health
                        headers: { Authorization: "Bearer ${file:%s}" }
                        interval: 1h
                        conditions: ["[STATUS] == 200", "[BODY].status == ok"]
                    deploy:
                      runbook: ship
                      notify: [hung]
                      gate: { timeout: 600ms, interval: 200ms }
                """.formatted(
                        dir.resolve("data"),
                        hook.getAddress().getPort(),
                        hung.getLocalPort(),
                        broken,
                        target.getAddress().getPort(),
                        secret));
        server = new TestServer(config);
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) server.close();
        if (target != null) target.stop(0);
        if (hook != null) hook.stop(0);
        if (hung != null) hung.close();
        for (Socket s : held) s.close();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + server.token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode deploy(String version) throws Exception {
        HttpResponse<String> r = post("/api/v1/services/vault/deploys", "{\"version\": \"" + version + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = TestServer.JSON.readTree(r.body()).path("id").asText();
        JsonNode[] last = new JsonNode[1];
        TestServer.awaitHttp(
                () -> {
                    last[0] = server.json("/api/v1/deploys/" + id);
                    return DeployState.of(last[0].path("state").asText()).isFinal();
                },
                "deploy " + id);
        return last[0];
    }

    @Test
    void aFailedRollbackPagesP1TheBodyIsMaskedAndCappedAndTheIncidentFreezesDeploys() throws Exception {
        long t0 = System.currentTimeMillis();
        JsonNode good = deploy("1.0.0");
        assertThat(good.path("state").asText()).as(good.toString()).isEqualTo("succeeded");
        // the deploy channel never answers: the deploy ended anyway, its message waits in the outbox
        assertThat(System.currentTimeMillis() - t0).isLessThan(15_000);

        // 2.0.0 answers with the secret in a large body: the gate fails, and the rollback to 1.0.0 fails too
        Files.writeString(dir.resolve("broken"), "x");
        health.set("{\"status\": \"down\", \"dsn\": \"postgres://app:" + SECRET + "@db/app\", \"trace\": \""
                + "at Frame.call ".repeat(600) + "\"}");
        JsonNode bad = deploy("2.0.0");
        assertThat(bad.path("state").asText()).as(bad.toString()).isEqualTo("rollback_failed");
        JsonNode failing = null;
        for (JsonNode e : bad.path("evidence"))
            if (e.path("phase").asText().equals("gate") && !e.path("passed").asBoolean()) failing = e;
        assertThat(failing).as(bad.toString()).isNotNull();
        String body = failing.path("body").asText();
        assertThat(body)
                .contains("postgres://app:***@db/app")
                .hasSize(Evidence.BODY_CAP)
                .endsWith("...");
        assertThat(bad.toString()).doesNotContain(SECRET);
        assertThat(server.get("/api/v1/deploys/" + bad.path("id").asText()).body())
                .doesNotContain(SECRET);

        // P1 at the real receiver, naming the versions
        TestServer.awaitHttp(() -> pages.stream().anyMatch(p -> p.contains("[P1]")), "the P1 page");
        String page = pages.stream().filter(p -> p.contains("[P1]")).findFirst().orElseThrow();
        assertThat(page)
                .contains("deploy of vault 2.0.0 rollback_failed")
                .contains("the rollback to 1.0.0 failed")
                .doesNotContain(SECRET);

        // the hanging deploy channel still holds its messages: they wait, nothing else waited for them
        JsonNode log = server.json("/api/v1/notifications?channel=hung");
        assertThat(log.toString()).contains("deploy.succeeded");

        // the open P1 incident on vault freezes its deploys; an override needs a reason and is audited
        HttpResponse<String> frozen = post("/api/v1/services/vault/deploys", "{\"version\": \"2.0.1\"}");
        assertThat(frozen.statusCode()).as(frozen.body()).isEqualTo(409);
        String detail = TestServer.JSON.readTree(frozen.body()).path("detail").asText();
        assertThat(detail)
                .startsWith("deploys of vault are frozen: open incident #")
                .contains(" P1 ")
                .endsWith("; to deploy anyway, override the freeze with a reason");
        int before =
                server.json("/api/v1/deploys?service=vault").path("deploys").size();
        HttpResponse<String> noReason =
                post("/api/v1/services/vault/deploys", "{\"version\": \"2.0.1\", \"override_freeze\": true}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(TestServer.JSON.readTree(noReason.body()).path("detail").asText())
                .startsWith("overriding the freeze (open incident #")
                .endsWith(") needs a reason");
        assertThat(server.json("/api/v1/deploys?service=vault").path("deploys").size())
                .isEqualTo(before);
        health.set("{\"status\": \"ok\"}");
        HttpResponse<String> over = post(
                "/api/v1/services/vault/deploys",
                "{\"version\": \"2.0.1\", \"override_freeze\": true, \"reason\": \"the fix for the outage\"}");
        assertThat(over.statusCode()).as(over.body()).isEqualTo(202);
        String id = TestServer.JSON.readTree(over.body()).path("id").asText();
        TestServer.awaitHttp(
                () -> server.json("/api/v1/deploys/" + id)
                        .path("state")
                        .asText()
                        .equals("succeeded"),
                "the override deploy");
        assertThat(server.json("/api/v1/deploys/" + id)
                        .path("evidence")
                        .get(0)
                        .path("detail")
                        .asText())
                .startsWith("freeze overridden (open incident #")
                .endsWith("): the fix for the outage");
        assertThat(server.get("/api/v1/audit?action=deploy.freeze_override").body())
                .contains("the fix for the outage")
                .contains(id);
    }
}
