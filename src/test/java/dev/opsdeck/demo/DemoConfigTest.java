package dev.opsdeck.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.auth.Role;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Status;
import dev.opsdeck.runbook.Run;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.server.TestServer;
import dev.opsdeck.store.Store;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's generated config loads as it is, and its runbook really brings a downed indexer back: the check step
 * sees it down, an operator other than the starter approves, the http step clears the fault, the wait sees it up.
 */
class DemoConfigTest {
    @TempDir
    Path dir;

    @Test
    void theDemoRunbookBringsTheIndexerBack() throws Exception {
        try (DemoStack stack = DemoStack.start("indexer", "api", "web")) {
            Path file = DemoConfig.write(dir, stack.ports(), stack.inbox().url(), 8080);
            Blueprint bp = new Compiler(new ConfigLoader(new YamlReader(Map.<String, String>of()::get))).load(file);
            assertThat(bp.config().keep().schedules()).containsKey("api-smoke-test");
            stack.fault("indexer", DemoStack.Mode.DOWN);
            try (Store store = Store.open(new StoreConfig("embedded", 4, Position.NONE), dir.resolve("store"));
                    Runbooks runbooks = new Runbooks(
                            store,
                            bp.config()::runbooks,
                            bp.runbooks()::get,
                            CheckTypes.standard(),
                            bp.checks()::get,
                            null,
                            run -> {},
                            Clock.systemUTC())) {
                Run run = runbooks.start("restart-indexer", Map.of("reason", "indexer down"), "alice", null);
                run = awaitNot(runbooks, run.id(), Run.Status.RUNNING, Run.Status.QUEUED);
                assertThat(run.status()).isEqualTo(Run.Status.WAITING_APPROVAL);
                assertThat(bp.checks().get("indexer/health").run().status()).isEqualTo(Status.DOWN);

                runbooks.approve(run.id(), new Runbooks.Actor("bob", Role.OPERATOR), true, "go");
                run = awaitNot(runbooks, run.id(), Run.Status.RUNNING, Run.Status.WAITING_APPROVAL, Run.Status.QUEUED);
                assertThat(run.status()).as(run.message()).isEqualTo(Run.Status.SUCCEEDED);
                assertThat(bp.checks().get("indexer/health").run().status()).isEqualTo(Status.UP);
            } finally {
                bp.checks().values().forEach(CompiledCheck::close);
            }
        }
    }

    /**
     * On a real server the demo's checklist and inventory show something to act on: the services, the token file's
     * mode and this node pass, the briefing waits for a person (attesting it makes the checklist ready), the runbook
     * item fails with a link until the runbook ran; the token has a cadence and its runbook rotates it (the inventory
     * sees the new value); the certificate made at start is inside the warning; the doctor checklist says why it fails.
     */
    @Test
    void theDemoShowsAChecklistToCompleteAndAnInventoryToActOn() throws Exception {
        try (DemoStack stack = DemoStack.start("indexer", "api", "web")) {
            Path config = DemoConfig.write(dir, stack.ports(), stack.inbox().url(), 0);
            try (TestServer server = new TestServer(config)) {
                TestServer.awaitHttp(
                        () -> items(server.send("POST", "/api/v1/checklists/demo-launch/run", null)).values().stream()
                                        .filter(i -> i.path("item").asText().endsWith("-healthy"))
                                        .filter(i -> i.path("state").asText().equals("passed"))
                                        .count()
                                == 3,
                        "every demo check to have passed once");
                JsonNode run = TestServer.JSON.readTree(server.send("POST", "/api/v1/checklists/demo-launch/run", null)
                        .body());
                Map<String, JsonNode> items = items(run);
                for (String passing : List.of("api-healthy", "indexer-healthy", "web-healthy", "api-token-private"))
                    assertThat(items.get(passing).path("state").asText())
                            .as(passing)
                            .isEqualTo("passed");
                assertThat(items.get("restart-runbook-tested").path("state").asText())
                        .as(items.get("restart-runbook-tested").toString())
                        .isEqualTo("warning");
                assertThat(items.get("on-call-briefed").path("state").asText()).isEqualTo("unattested");
                assertThat(run.path("state").asText()).isEqualTo("not_ready");
                JsonNode shown = server.json("/api/v1/checklists/demo-launch");
                for (JsonNode i : shown.path("items"))
                    if (i.path("id").asText().equals("restart-runbook-tested"))
                        assertThat(i.path("link").asText()).isEqualTo("/runbooks");

                assertThat(server.send(
                                        "POST",
                                        "/api/v1/checklists/demo-launch/items/on-call-briefed/attest",
                                        "{\"note\": \"walked through restart-indexer\"}")
                                .statusCode())
                        .isEqualTo(201);
                assertThat(server.json("/api/v1/checklists/demo-launch")
                                .path("state")
                                .asText())
                        .isEqualTo("ready");
                JsonNode lists = server.json("/api/v1/checklists").path("checklists");
                for (JsonNode c : lists)
                    if (c.path("name").asText().equals("doctor"))
                        assertThat(c.path("description").asText()).contains("not_ready is expected");

                assertThat(server.send("POST", "/api/v1/credentials/refresh", null)
                                .statusCode())
                        .isEqualTo(200);
                assertThat(server.json("/api/v1/credentials/demo-api-token")
                                .path("state")
                                .asText())
                        .isEqualTo("ok");
                assertThat(server.json("/api/v1/credentials/grafana-admin")
                                .path("state")
                                .asText())
                        .isEqualTo("ok");
                JsonNode started =
                        TestServer.JSON.readTree(server.send("POST", "/api/v1/runbooks/rotate-api-token/runs", "{}")
                                .body());
                String runId = started.path("id").asText();
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/runs/" + runId)
                                .path("status")
                                .asText()
                                .equals("succeeded"),
                        "the rotation runbook to succeed");
                server.send("POST", "/api/v1/credentials/refresh", null);
                JsonNode token = server.json("/api/v1/credentials/demo-api-token");
                assertThat(token.path("rotation_seen").asBoolean())
                        .as(token.toString())
                        .isTrue();
                assertThat(token.path("previous_valid_until").isNull()).isFalse();
                assertThat(Files.getPosixFilePermissions(dir.resolve("secrets/api-token")))
                        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

                JsonNode certificates =
                        TestServer.JSON.readTree(server.send("POST", "/api/v1/certificates/refresh", null)
                                .body());
                JsonNode site = null;
                for (JsonNode c : certificates.path("certificates"))
                    if (c.path("source").asText().equals("demo-site")) site = c;
                assertThat(site).as(certificates.toString()).isNotNull();
                assertThat(site.path("state").asText()).isEqualTo("expiring");
                assertThat(site.path("days_left").asInt()).isEqualTo(20);
            }
        }
    }

    private static Map<String, JsonNode> items(HttpResponse<String> run) throws Exception {
        return items(TestServer.JSON.readTree(run.body()));
    }

    private static Map<String, JsonNode> items(JsonNode run) {
        Map<String, JsonNode> out = new java.util.HashMap<>();
        for (JsonNode i : run.path("items"))
            out.put(i.path("item").asText(i.path("id").asText()), i);
        return out;
    }

    private static Run awaitNot(Runbooks runbooks, String id, Run.Status... passing) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            Run run = runbooks.find(id).orElseThrow();
            if (!List.of(passing).contains(run.status()) || System.currentTimeMillis() > deadline) return run;
            Thread.sleep(100);
        }
    }
}
