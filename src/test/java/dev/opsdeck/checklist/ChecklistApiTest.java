package dev.opsdeck.checklist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.auth.Role;
import dev.opsdeck.server.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * Checklists on a real server with a real store: inline {@code command}, {@code tcp} and {@code disk} checks
 * passing and failing, history, a regression paging through an incident and resolving, attestations and waivers
 * with their roles and expiries, the export, masking of a secret in evidence, and hostile requests.
 */
class ChecklistApiTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SECRET = "s3cr3t-deploy-token-4242";

    @TempDir
    static Path dir;

    static TestServer server;
    static String alice, bob, vera, rick;
    static int port;
    static Path marker;

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        marker = dir.resolve("bootstrap.json");
        Path secret = Files.writeString(dir.resolve("token"), SECRET);
        Path config = Files.writeString(
                dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                checklists:
                  prod:
                    title: Production readiness
                    sections:
                      - title: Host
                        items:
                          - id: bootstrap-shredded
                            title: Bootstrap file shredded
                            link: https://example.org/bootstrap
                            type: command
                            command: ["/bin/sh", "-c", "test ! -e '%s' || { echo found %s; exit 1; }"]
                          - { id: controller-port, title: Controller listens, type: tcp, host: 127.0.0.1, port: %d, timeout: 2s }
                          - id: disk
                            severity: recommended
                            type: disk
                            path: "%s"
                            conditions: ["[USED_PERCENT] <= 100"]
                          - id: token-check
                            severity: recommended
                            type: command
                            command: ["/bin/sh", "-c", "echo using $TOKEN; exit 3"]
                            env: { TOKEN: "${file:%s}" }
                      - title: People
                        items:
                          - { id: cosign, title: Cosign verification documented, manual: { expires: 2s } }
                          - { id: dr-plan, title: DR plan reviewed, manual: { expires: 90d, role: admin } }
                  nightly:
                    every: 1m
                    sections:
                      - items: [ { id: root-disk, type: disk, path: / } ]
                """.formatted(dir.resolve("data"), marker, marker, port, dir, secret));
        server = new TestServer(config);
        alice = key("alice", Role.OPERATOR);
        bob = key("bob", Role.OPERATOR);
        vera = key("vera", Role.VIEWER);
        rick = key("rick", Role.RESPONDER);
    }

    private static String key(String name, Role role) {
        server.server
                .access()
                .users()
                .create(name, role, "a long enough password for the checklist test " + role.ordinal(), false);
        return server.server
                .access()
                .apiKeys()
                .create("k", name, role, false, null)
                .secret();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
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

    static JsonNode item(JsonNode detail, String id) {
        for (JsonNode i : detail.path("items")) if (i.path("id").asText().equals(id)) return i;
        throw new AssertionError("no item " + id + " in " + detail);
    }

    static JsonNode run() throws Exception {
        HttpResponse<String> r = post(alice, "/api/v1/checklists/prod/run", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return server.json("/api/v1/checklists/prod");
    }

    @Test
    void itemsPassAndFailWithEvidenceAndHistoryAndARegressionPages() throws Exception {
        JsonNode d;
        try (ServerSocket listening = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            d = run();
            assertThat(item(d, "controller-port").path("state").asText()).isEqualTo("passed");
        }
        assertThat(item(d, "bootstrap-shredded").path("state").asText()).isEqualTo("passed");
        assertThat(item(d, "bootstrap-shredded").path("link").asText()).isEqualTo("https://example.org/bootstrap");
        JsonNode disk = item(d, "disk");
        assertThat(disk.path("state").asText()).isEqualTo("passed");
        assertThat(disk.path("evidence").path("values").path("USED_PERCENT").isNumber())
                .isTrue();
        // a failed recommended item warns; its output is evidence, with the secret masked
        JsonNode token = item(d, "token-check");
        assertThat(token.path("state").asText()).isEqualTo("warning");
        assertThat(token.path("evidence").path("stdout").asText()).isEqualTo("using ***");
        assertThat(token.path("evidence").path("values").path("EXIT_CODE").asInt())
                .isEqualTo(3);
        assertThat(d.toString()).doesNotContain(SECRET);
        assertThat(item(d, "cosign").path("state").asText()).isEqualTo("unattested");
        assertThat(d.path("state").asText()).isEqualTo("not_ready");

        // the controller stops listening and the bootstrap file comes back: both required items fail
        Files.writeString(marker, "{}");
        d = run();
        JsonNode controller = item(d, "controller-port");
        assertThat(controller.path("state").asText()).isEqualTo("failed");
        assertThat(controller.path("history").get(0).path("state").asText()).isEqualTo("failed");
        assertThat(controller.path("history").get(1).path("state").asText()).isEqualTo("passed");
        JsonNode boot = item(d, "bootstrap-shredded");
        assertThat(boot.path("state").asText()).isEqualTo("failed");
        assertThat(boot.path("evidence").path("stdout").asText()).isEqualTo("found " + marker);
        TestServer.awaitHttp(
                () -> titles().stream().anyMatch(t -> t.contains("Controller listens is failed")),
                "the regression's incident");
        JsonNode incident = openIncident("Controller listens");
        assertThat(incident.path("severity").asText()).isEqualTo("P2");

        // passing again resolves it
        Files.delete(marker);
        try (ServerSocket listening = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            d = run();
        }
        assertThat(item(d, "controller-port").path("state").asText()).isEqualTo("passed");
        TestServer.awaitHttp(() -> openIncident("Controller listens") == null, "the incident to resolve");
        JsonNode history = server.json("/api/v1/checklists/prod/items/controller-port/history")
                .path("history");
        assertThat(history).hasSizeGreaterThanOrEqualTo(3);
        assertThat(history.get(0).path("state").asText()).isEqualTo("passed");

        String metrics = server.anonymous("/metrics").body();
        assertThat(metrics).contains("opsdeck_checklist_score{checklist=\"prod\"}");
        assertThat(metrics).contains("opsdeck_checklist_items{checklist=\"prod\",state=\"passed\"}");
    }

    private static List<String> titles() throws Exception {
        List<String> out = new ArrayList<>();
        server.json("/api/v1/incidents?state=open")
                .path("incidents")
                .forEach(i -> out.add(i.path("title").asText()));
        return out;
    }

    private static JsonNode openIncident(String containing) throws Exception {
        for (JsonNode i : server.json("/api/v1/incidents?state=open").path("incidents"))
            if (i.path("title").asText().contains(containing)) return i;
        return null;
    }

    @Test
    void attestationsNeedTheRoleAndExpire() throws Exception {
        HttpResponse<String> viewer =
                post(vera, "/api/v1/checklists/prod/items/cosign/attest", "{\"note\":\"documented in the wiki\"}");
        assertThat(viewer.statusCode()).isEqualTo(403);
        HttpResponse<String> belowItemRole =
                post(rick, "/api/v1/checklists/prod/items/dr-plan/attest", "{\"note\":\"reviewed\"}");
        assertThat(belowItemRole.statusCode()).isEqualTo(403);
        assertThat(json(belowItemRole).path("detail").asText())
                .isEqualTo("attesting 'dr-plan' needs the admin role or above");
        HttpResponse<String> notManual = post(rick, "/api/v1/checklists/prod/items/disk/attest", "{\"note\":\"fine\"}");
        assertThat(notManual.statusCode()).isEqualTo(409);

        HttpResponse<String> ok =
                post(rick, "/api/v1/checklists/prod/items/cosign/attest", "{\"note\":\"documented in the wiki\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        assertThat(json(ok).path("by").asText()).isEqualTo("rick");
        JsonNode d = server.json("/api/v1/checklists/prod");
        assertThat(item(d, "cosign").path("state").asText()).isEqualTo("attested");
        assertThat(item(d, "cosign").path("attestation").path("note").asText()).isEqualTo("documented in the wiki");
        Thread.sleep(2_100); // the item's attestations hold 2 s
        d = run();
        assertThat(item(d, "cosign").path("state").asText()).isEqualTo("expired");
        assertThat(item(d, "cosign").path("message").asText()).startsWith("attestation by rick at ");

        JsonNode audit = server.json("/api/v1/audit?action=checklist.attest");
        assertThat(audit.toString()).contains("checklist:prod/cosign").contains("checklist:prod/dr-plan");
    }

    @Test
    void aWaiverNeedsAnotherApproverAndExpires() throws Exception {
        HttpResponse<String> req = post(
                alice,
                "/api/v1/checklists/prod/items/dr-plan/waivers",
                "{\"reason\":\"review scheduled next week\",\"expires\":\"3s\"}");
        assertThat(req.statusCode()).as(req.body()).isEqualTo(201);
        String id = json(req).path("id").asText();
        assertThat(json(req).path("status").asText()).isEqualTo("requested");

        HttpResponse<String> self = post(alice, "/api/v1/checklists/prod/waivers/" + id + "/approve", "");
        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(json(self).path("detail").asText())
                .startsWith("a waiver is approved by someone other than its requester");
        assertThat(post(vera, "/api/v1/checklists/prod/waivers/" + id + "/approve", "")
                        .statusCode())
                .isEqualTo(403);

        HttpResponse<String> approved = post(bob, "/api/v1/checklists/prod/waivers/" + id + "/approve", "");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(json(approved).path("approved_by").asText()).isEqualTo("bob");
        assertThat(post(bob, "/api/v1/checklists/prod/waivers/" + id + "/approve", "")
                        .statusCode())
                .isEqualTo(409);
        JsonNode d = server.json("/api/v1/checklists/prod");
        assertThat(item(d, "dr-plan").path("state").asText()).isEqualTo("waived");
        assertThat(item(d, "dr-plan").path("message").asText())
                .startsWith("waived by bob until ")
                .contains("review scheduled next week");

        String md = server.get("/api/v1/checklists/prod/export?format=md").body();
        assertThat(md)
                .startsWith("# Production readiness")
                .contains("## Waivers")
                .contains("| `dr-plan` | approved | alice | bob |")
                .contains("configuration hash `")
                .contains("| DR plan reviewed (`dr-plan`) | required | waived |");
        JsonNode export = server.json("/api/v1/checklists/prod/export?format=json");
        assertThat(export.path("config_hash").asText()).hasSize(16);
        assertThat(export.path("waivers").get(0).path("requested_by").asText()).isEqualTo("alice");
        assertThat(export.path("last_run").path("started_at").asText()).isNotEmpty();
        assertThat(export.path("exported_by").asText()).contains("admin");

        Thread.sleep(3_100);
        d = run();
        assertThat(item(d, "dr-plan").path("state").asText()).isEqualTo("unattested");
        assertThat(item(d, "dr-plan").path("message").asText()).contains("(waiver " + id + " expired at ");
    }

    @Test
    void hostileRequestsGetPreciseRefusals() throws Exception {
        for (String odd : List.of("..%2F..%2Fetc%2Fpasswd", "%3Cscript%3E", "x".repeat(300))) {
            HttpResponse<String> r = server.get("/api/v1/checklists/prod/items/" + odd + "/history");
            assertThat(r.statusCode()).as(odd).isEqualTo(404);
            // the id is echoed only inside a JSON problem document, never as a page
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        }
        // a NUL byte never reaches a handler: the HTTP server refuses the path itself
        assertThat(server.get("/api/v1/checklists/prod/items/a%00b/history").statusCode())
                .isEqualTo(400);
        HttpResponse<String> unknown = server.get("/api/v1/checklists/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("detail").asText()).startsWith("no checklist 'nope'; configured: ");

        HttpResponse<String> huge =
                post(rick, "/api/v1/checklists/prod/items/cosign/attest", "{\"note\":\"" + "n".repeat(5000) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(json(huge).path("detail").asText()).isEqualTo("note: at most 2000 characters, got 5000");
        HttpResponse<String> broken = post(rick, "/api/v1/checklists/prod/items/cosign/attest", "{\"note\": ");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json(broken).path("detail").asText()).isEqualTo("the body is not JSON");
        HttpResponse<String> blank = post(rick, "/api/v1/checklists/prod/items/cosign/attest", "{\"note\":\"  \"}");
        assertThat(json(blank).path("detail").asText()).isEqualTo("note: required");
        HttpResponse<String> extra = post(alice, "/api/v1/checklists/prod/items/cosign/waivers", "{\"why\":1}");
        assertThat(extra.statusCode()).isEqualTo(400);
        HttpResponse<String> badExpiry = post(
                alice, "/api/v1/checklists/prod/items/cosign/waivers", "{\"reason\":\"r\",\"expires\":\"forever\"}");
        assertThat(json(badExpiry).path("detail").asText())
                .isEqualTo("field 'expires': expected a duration such as 30d, got 'forever'");
        HttpResponse<String> tooLong =
                post(alice, "/api/v1/checklists/prod/items/cosign/waivers", "{\"reason\":\"r\",\"expires\":\"400d\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(server.get("/api/v1/checklists/prod/export?format=pdf").statusCode())
                .isEqualTo(400);
    }

    @Test
    void aChecklistWithEveryRunsByItself() throws Exception {
        TestServer.awaitHttp(
                () -> server.json("/api/v1/checklists/nightly/runs")
                                .path("runs")
                                .size()
                        > 0,
                "the scheduled run");
        JsonNode first =
                server.json("/api/v1/checklists/nightly/runs").path("runs").get(0);
        assertThat(first.path("cause").asText()).isEqualTo("schedule");
        assertThat(first.path("state").asText()).isEqualTo("ready");
        assertThat(first.path("score").asInt()).isEqualTo(100);
        JsonNode list = server.json("/api/v1/checklists").path("checklists");
        // the configured checklists, then Opsdeck's own (opsdeck doctor), which every server lists
        assertThat(list).extracting(n -> n.path("name").asText()).containsExactly("prod", "nightly", "doctor");
        assertThat(list.get(1).path("counts").path("passed").asInt()).isEqualTo(1);
    }
}
