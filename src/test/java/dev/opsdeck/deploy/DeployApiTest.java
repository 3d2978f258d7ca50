package dev.opsdeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.auth.Role;
import dev.opsdeck.server.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploys on a real server with a real store: the deployed service is a python3 http.server serving the files a real
 * runbook's shell step copies from a release folder, so each deploy really changes the version it answers with. A
 * good release passes the gate and the bake; a release whose error rate is high passes the gate, fails the bake and
 * is rolled back to the last good one; a release that never reports its version fails the gate; a gate whose target
 * accepts connections and never answers fails in time. Refusals store nothing.
 */
class DeployApiTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    static TestServer server;
    static Process web;
    static ServerSocket hang;
    static final List<Socket> held = new ArrayList<>();
    static String alice, bob, rick, vera;

    @BeforeAll
    static void start() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        release("1.0.0", "ok", 0.0);
        release("1.1.0", "ok", 0.01);
        release("2.0.0", "ok", 0.30); // answers, but fails one request in three
        release("3.0.0", "starting", 0.0); // never becomes ready
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        web = new ProcessBuilder(
                        "python3",
                        "-m",
                        "http.server",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--directory",
                        www.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("web.log").toFile())
                .start();
        hang = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!hang.isClosed()) {
                try {
                    held.add(hang.accept()); // accepted, never answered
                } catch (IOException e) {
                    return;
                }
            }
        });
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                runbooks:
                  ship:
                    params:
                      version: { required: true, pattern: "^[A-Za-z0-9._-]+$" }
                      previous_version: {}
                    steps:
                      - id: install
                        type: shell
                        run: |
                          test -d "$RELEASES/$1" || { echo "no release $1 in the release folder"; exit 1; }
                          cp "$RELEASES/$1"/*.json "$WWW"/
                          echo "installed $1 (was ${2:-nothing})"
                        args: ["{{params.version}}", "{{params.previous_version}}"]
                        env: { RELEASES: "%s", WWW: "%s" }
                services:
                  shop:
                    checks:
                      health:
                        type: http
                        url: http://127.0.0.1:%d/health.json
                        interval: 1h
                        conditions: ["[STATUS] == 200", "[BODY].status == ok"]
                      errors:
                        type: http
                        url: http://127.0.0.1:%d/errors.json
                        interval: 1h
                        conditions: ["[STATUS] == 200"]
                    deploy:
                      runbook: ship
                      gate:
                        delay: 100ms
                        timeout: 2s
                        interval: 200ms
                        checks:
                          - check: health
                            conditions: ["[BODY].version == {{version}}"]
                      bake:
                        duration: 1500ms
                        interval: 100ms
                        analysis:
                          - check: errors
                            conditions: ["[BODY].error_rate < 0.05"]
                            samples: 5
                            failures: 2
                  slow:
                    checks:
                      up: { type: http, url: "http://127.0.0.1:%d/", timeout: 500ms, interval: 1h }
                    deploy:
                      runbook: ship
                      approval: { role: operator, four_eyes: true }
                      gate: { timeout: 1500ms, interval: 200ms }
                  frozen:
                    checks:
                      up: { type: http, url: "http://127.0.0.1:%d/health.json", interval: 1h }
                    deploy:
                      runbook: ship
                      freeze:
                        windows: [ { name: always, days: [mon, tue, wed, thu, fri, sat, sun], at: "00:00", for: 24h } ]
                """.formatted(
                        dir.resolve("data"), dir.resolve("releases"), www, port, port, hang.getLocalPort(), port));
        server = new TestServer(config);
        alice = key("alice", Role.OPERATOR);
        bob = key("bob", Role.OPERATOR);
        rick = key("rick", Role.RESPONDER);
        vera = key("vera", Role.VIEWER);
        TestServer.awaitHttp(
                () -> HTTP.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200,
                "the web server");
    }

    private static void release(String version, String status, double errorRate) throws IOException {
        Path d = Files.createDirectories(dir.resolve("releases").resolve(version));
        Files.writeString(
                d.resolve("health.json"), "{\"status\": \"" + status + "\", \"version\": \"" + version + "\"}");
        Files.writeString(d.resolve("errors.json"), "{\"error_rate\": " + errorRate + "}");
    }

    private static String key(String name, Role role) {
        server.server
                .access()
                .users()
                .create(name, role, "a long enough password for the deploy test " + role.ordinal(), false);
        return server.server
                .access()
                .apiKeys()
                .create("k", name, role, false, null)
                .secret();
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) server.close();
        if (web != null) web.destroyForcibly();
        if (hang != null) hang.close();
        for (Socket s : held) s.close();
    }

    static HttpResponse<String> post(String key, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return TestServer.JSON.readTree(r.body());
    }

    /** Waits for the deploy to end; its final view with evidence. */
    static JsonNode await(String id) throws Exception {
        JsonNode[] last = new JsonNode[1];
        TestServer.awaitHttp(
                () -> {
                    last[0] = server.json("/api/v1/deploys/" + id);
                    return DeployState.of(last[0].get("state").asText()).isFinal();
                },
                "deploy " + id + " to end");
        return last[0];
    }

    static JsonNode deploy(String service, String version) throws Exception {
        HttpResponse<String> r =
                post(alice, "/api/v1/services/" + service + "/deploys", "{\"version\": \"" + version + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return await(json(r).get("id").asText());
    }

    static String outcome(JsonNode d) {
        JsonNode ev = d.get("evidence");
        return ev.get(ev.size() - 1).get("detail").asText();
    }

    @Test
    void goodThenBadThenRollback() throws Exception {
        JsonNode first = deploy("shop", "1.0.0");
        assertThat(first.get("state").asText()).as(first.toString()).isEqualTo("succeeded");
        assertThat(first.get("previous_version").isNull()).isTrue();
        assertThat(first.get("run_id").asText()).startsWith("run-");
        JsonNode good = deploy("shop", "1.1.0");
        assertThat(good.get("state").asText()).as(good.toString()).isEqualTo("succeeded");
        assertThat(good.get("previous_version").asText()).isEqualTo("1.0.0");
        assertThat(Files.readString(dir.resolve("www/health.json"))).contains("1.1.0");

        // passes the gate, fails the bake: 2 of the last samples miss the error-rate condition
        JsonNode bad = deploy("shop", "2.0.0");
        assertThat(bad.get("state").asText()).as(bad.toString()).isEqualTo("rolled_back");
        assertThat(bad.get("rollback_run_id").asText()).startsWith("run-");
        assertThat(outcome(bad))
                .contains("bake failed: shop/errors failed 2 of the last 2 samples")
                .contains("error_rate")
                .contains("rolled back to 1.1.0");
        JsonNode failing = null;
        for (JsonNode e : bad.get("evidence"))
            if (e.get("phase").asText().equals("bake") && !e.get("passed").asBoolean()) failing = e;
        assertThat(failing.get("body").asText()).contains("0.3"); // the failing response body is kept
        assertThat(Files.readString(dir.resolve("www/health.json"))).contains("1.1.0"); // really back

        // never ready: the gate fails with the failing condition and the body, and the rollback restores 1.1.0
        JsonNode never = deploy("shop", "3.0.0");
        assertThat(never.get("state").asText()).isEqualTo("rolled_back");
        assertThat(outcome(never))
                .startsWith("gate failed after 2s: shop/health:")
                .contains("status");

        // the release does not exist: the runbook fails, nothing to roll back from the gate
        JsonNode missing = deploy("shop", "9.9.9");
        assertThat(missing.get("state").asText()).isEqualTo("failed");
        assertThat(outcome(missing)).contains("runbook ship failed");

        // history: succeeded versions newest first; after a failed deploy, rollback without --to returns to the last
        // good one
        JsonNode versions = server.json("/api/v1/services/shop/versions");
        assertThat(versions.get("versions").get(0).get("version").asText()).isEqualTo("1.1.0");
        assertThat(versions.get("versions").get(1).get("version").asText()).isEqualTo("1.0.0");
        HttpResponse<String> back = post(alice, "/api/v1/services/shop/rollback", "{\"reason\": \"drill\"}");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(202);
        JsonNode rolled = await(json(back).get("id").asText());
        assertThat(rolled.get("version").asText()).isEqualTo("1.1.0");
        assertThat(rolled.get("state").asText()).isEqualTo("succeeded");
        assertThat(rolled.get("rollback_of").asText()).isNotBlank();
        HttpResponse<String> unknown = post(alice, "/api/v1/services/shop/rollback", "{\"to\": \"7.7.7\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("detail").asText())
                .isEqualTo("version 7.7.7 of shop never succeeded here; recent successful versions: 1.1.0, 1.0.0");

        // the change log, filtered and paged
        JsonNode page = server.json("/api/v1/deploys?service=shop&limit=2");
        assertThat(page.get("deploys")).hasSize(2);
        assertThat(page.get("next_offset").asInt()).isEqualTo(2);
        JsonNode rolledBack = server.json("/api/v1/deploys?service=shop&state=rolled_back");
        assertThat(rolledBack.get("deploys")).hasSize(2);
    }

    @Test
    void hangingGateTargetFailsInTimeAndApprovalsNeedFourEyes() throws Exception {
        HttpResponse<String> r = post(alice, "/api/v1/services/slow/deploys", "{\"version\": \"1.0.0\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = json(r).get("id").asText();
        assertThat(json(r).get("state").asText()).isEqualTo("pending");
        HttpResponse<String> self = post(alice, "/api/v1/deploys/" + id + "/approve", "{}");
        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(json(self).get("detail").asText()).contains("second person");
        HttpResponse<String> responder = post(rick, "/api/v1/deploys/" + id + "/approve", "{}");
        assertThat(responder.statusCode()).isEqualTo(403);
        assertThat(json(responder).get("detail").asText()).contains("operator role");
        // one at a time, while it waits
        HttpResponse<String> second = post(bob, "/api/v1/services/slow/deploys", "{\"version\": \"1.1.0\"}");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(json(second).get("detail").asText()).contains("already pending (" + id);
        long started = System.currentTimeMillis();
        assertThat(post(bob, "/api/v1/deploys/" + id + "/approve", "{\"reason\": \"looks fine\"}")
                        .statusCode())
                .isEqualTo(200);
        JsonNode done = await(id);
        assertThat(System.currentTimeMillis() - started).isLessThan(10_000);
        assertThat(done.get("state").asText()).isEqualTo("failed"); // first deploy: nothing to roll back to
        assertThat(outcome(done))
                .contains("gate failed after 1.5s: slow/up:")
                .contains("no earlier successful version");
    }

    @Test
    void refusalsStoreNothing() throws Exception {
        int before = server.json("/api/v1/deploys?limit=1000").get("deploys").size();
        HttpResponse<String> frozen = post(alice, "/api/v1/services/frozen/deploys", "{\"version\": \"1.0.0\"}");
        assertThat(frozen.statusCode()).isEqualTo(409);
        assertThat(json(frozen).get("detail").asText())
                .isEqualTo("deploys of frozen are frozen: freeze window always; to deploy anyway, override the freeze"
                        + " with a reason");
        HttpResponse<String> noReason =
                post(alice, "/api/v1/services/frozen/deploys", "{\"version\": \"1.0.0\", \"override_freeze\": true}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = post(alice, "/api/v1/services/nope/deploys", "{\"version\": \"1.0.0\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("detail").asText()).startsWith("no service 'nope'; services with deploys: shop");
        HttpResponse<String> badVersion =
                post(alice, "/api/v1/services/shop/deploys", "{\"version\": \"1.0; rm -rf /\"}");
        assertThat(badVersion.statusCode()).isEqualTo(400);
        assertThat(post(vera, "/api/v1/services/shop/deploys", "{\"version\": \"1.0.0\"}")
                        .statusCode())
                .isEqualTo(403);
        HttpResponse<String> malformed = post(rick, "/api/v1/deploys", "{\"service\": \"shop\", \"version\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        HttpResponse<String> badTime = post(
                rick,
                "/api/v1/deploys",
                "{\"external_id\": \"gh-1\", \"service\": \"shop\", \"version\": \"abc123\", \"state\": \"running\","
                        + " \"started_at\": \"yesterday\"}");
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(json(badTime).get("detail").asText()).startsWith("field 'started_at': expected an ISO-8601");
        HttpResponse<String> badState = post(
                rick,
                "/api/v1/deploys",
                "{\"external_id\": \"gh-1\", \"service\": \"shop\", \"version\": \"abc123\", \"state\": \"done\"}");
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(server.json("/api/v1/deploys?limit=1000").get("deploys").size())
                .isEqualTo(before);
        assertThat(server.json("/api/v1/deploys?source=ci").get("deploys")).isEmpty();
        // the override, with a reason, goes through and is audited
        HttpResponse<String> over = post(
                alice,
                "/api/v1/services/frozen/deploys",
                "{\"version\": \"1.0.0\", \"override_freeze\": true, \"reason\": \"hotfix for #12\"}");
        assertThat(over.statusCode()).as(over.body()).isEqualTo(202);
        await(json(over).get("id").asText());
        assertThat(server.get("/api/v1/audit?action=deploy.freeze_override").body())
                .contains("hotfix for #12");
    }

    @Test
    void ciRecordsAreIdempotentByExternalId() throws Exception {
        String start = "{\"external_id\": \"gha-77\", \"service\": \"frozen\", \"version\": \"c0ffee1\", \"state\":"
                + " \"running\", \"commit_at\": \"2026-12-07T10:00:00Z\", \"link\": \"https://ci.example/77\"}";
        HttpResponse<String> first = post(rick, "/api/v1/deploys", start);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(post(rick, "/api/v1/deploys", start).statusCode()).isEqualTo(200); // a retry: same record
        String finish = start.replace("\"running\"", "\"succeeded\"");
        HttpResponse<String> done = post(rick, "/api/v1/deploys", finish);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(json(done).get("state").asText()).isEqualTo("succeeded");
        assertThat(json(done).get("id").asText())
                .isEqualTo(json(first).get("id").asText());
        HttpResponse<String> late = post(rick, "/api/v1/deploys", start.replace("\"running\"", "\"failed\""));
        assertThat(late.statusCode()).isEqualTo(409);
        JsonNode ci = server.json("/api/v1/deploys?source=ci");
        assertThat(ci.get("deploys")).hasSize(1);
        assertThat(ci.get("deploys").get(0).get("commit_at").asText()).isEqualTo("2026-12-07T10:00:00Z");
        assertThat(post(vera, "/api/v1/deploys", start).statusCode()).isEqualTo(403);
    }
}
