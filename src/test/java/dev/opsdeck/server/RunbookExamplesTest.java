package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.opsdeck.store.PrivatePostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example runbooks end to end, run by a real server: RB-001 brings back a private PostgreSQL the test
 * stopped; the redeploy runbook replaces a running service, and rolls back when the new version is unhealthy.
 */
class RunbookExamplesTest {
    @TempDir
    Path dir;

    @Test
    void rb001BringsBackAStoppedPostgres() throws Exception {
        assumeTrue(PrivatePostgres.available(), "PostgreSQL 15 server binaries");
        Path example = copy(Path.of("examples", "stellarescrow"), dir.resolve("stellarescrow"));
        try (PrivatePostgres pg = PrivatePostgres.start()) {
            // the cluster tool the runbook calls, for this private cluster: what pg_ctlcluster does for a Debian one
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Path shim = Files.writeString(
                    bin.resolve("pg_ctlcluster"),
                    "#!/bin/sh\n# pg_ctlcluster VERSION CLUSTER ACTION\n"
                            + "[ \"$3\" = start ] || exit 2\nexec "
                            + pg.startCommand().stream()
                                    .map(RunbookExamplesTest::quote)
                                    .collect(Collectors.joining(" "))
                            + "\n");
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
            pg.stopServer();

            // the example's other files read these too (on-call channels); nothing is sent in this test
            Map<String, String> env = Map.of(
                    "PATH",
                    bin + ":" + System.getenv("PATH"),
                    "DATABASE_URL",
                    pg.url(),
                    "REDIS_URL",
                    "redis://127.0.0.1:9/0",
                    "SMTP_HOST",
                    "127.0.0.1",
                    "SMTP_PASSWORD",
                    "unused",
                    "SLACK_WEBHOOK_URL",
                    "https://hooks.slack.test/unused");
            try (RemoteServer server = new RemoteServer(example, dir.resolve("server.log"), env)) {
                var started = server.send(
                        "POST",
                        "/api/v1/runbooks/rb-001/runs",
                        "{\"params\": {\"port\": \"" + pg.port() + "\", \"check_apps\": \"false\"}}");
                assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
                String id = TestServer.JSON.readTree(started.body()).path("id").asText();

                JsonNode waiting = server.awaitRun(id, "waiting_approval", 30);
                assertThat(waiting.path("pending_approval").path("prompt").asText())
                        .isEqualTo("Confirm step restart: Restart the cluster");
                assertThat(server.send("POST", "/api/v1/runs/" + id + "/approve", "{\"reason\": \"down since 08:00\"}")
                                .statusCode())
                        .isEqualTo(200);

                JsonNode run = server.awaitRun(id, "succeeded", 90);
                Map<String, JsonNode> steps = new HashMap<>();
                run.path("steps").forEach(s -> steps.put(s.path("step").asText(), s));
                assertThat(steps.get("ready").path("exit_code").asInt())
                        .as("pg_isready: no response")
                        .isEqualTo(2);
                assertThat(steps.get("disk-full").path("status").asText()).isEqualTo("skipped");
                assertThat(steps.get("restart").path("status").asText()).isEqualTo("succeeded");
                assertThat(steps.get("accepting").path("status").asText()).isEqualTo("succeeded");
                assertThat(steps.get("writable").path("status").asText()).isEqualTo("succeeded");
                assertThat(steps.get("indexer").path("status").asText()).isEqualTo("skipped");
                assertThat(run.path("metrics").path("rto_ms").asLong()).isEqualTo(15 * 60_000);
                assertThat(run.path("metrics").path("rto_met").asBoolean()).isTrue();
                assertThat(server.json("/api/v1/runbooks")
                                .path("runbooks")
                                .get(0)
                                .path("untested")
                                .asBoolean())
                        .isFalse();
            }
            try (var c = DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres", "postgres", "")) {
                assertThat(c.isValid(5)).as("PostgreSQL is back").isTrue();
            }
        }
    }

    @Test
    void redeployReplacesTheServiceAndRollsBackAnUnhealthyRelease() throws Exception {
        Path example = copy(Path.of("examples", "yieldvault"), dir.resolve("yieldvault"));
        // the deploy messages' channel (YieldVaultDeployTest receives them; runs of the runbook alone send none)
        Path yaml = example.resolve("opsdeck.yaml");
        Files.writeString(
                yaml, Files.readString(yaml).replace("${env:DEPLOY_WEBHOOK_URL}", "http://127.0.0.1:9/unused"));
        Path app = dir.resolve("app");
        release(app, "v1.2.3", "healthy");
        release(app, "v1.3.0", "healthy");
        release(app, "v1.3.1", "degraded");
        // the configuration the runbook's `config` step checks (names only; these releases do not read it)
        Files.writeString(
                Files.createDirectories(app.resolve("shared")).resolve(".env"),
                "STELLAR_RPC_URL=https://rpc.invalid\nVAULT_CONTRACT_ID=C1\nDATABASE_URL=sqlite:shared/vault.db\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String params = "\"app_dir\": \"" + app + "\", \"port\": \"" + port + "\"";
        try (TestServer server = new TestServer(example.resolve("opsdeck.yaml"))) {
            JsonNode first = deploy(server, "{\"params\": {\"version\": \"v1.2.3\", " + params + "}}", "succeeded");
            assertThat(stepOf(first, "prepare")
                            .path("extracted")
                            .path("previous")
                            .asText())
                    .isEqualTo("none");
            assertThat(health(port)).contains("\"version\": \"v1.2.3\"");

            JsonNode second = deploy(server, "{\"params\": {\"version\": \"v1.3.0\", " + params + "}}", "succeeded");
            assertThat(stepOf(second, "prepare")
                            .path("extracted")
                            .path("previous")
                            .asText())
                    .isEqualTo("v1.2.3");
            assertThat(stepOf(second, "assess").path("status").asText()).isEqualTo("succeeded");
            assertThat(health(port)).contains("\"version\": \"v1.3.0\"");
            assertThat(second.path("metrics").path("steps")).hasSize(9);
            assertThat(second.path("metrics").path("rto_met").asBoolean()).isTrue();

            JsonNode bad = deploy(server, "{\"params\": {\"version\": \"v1.3.1\", " + params + "}}", "failed");
            assertThat(stepOf(bad, "verify").path("message").asText())
                    .startsWith("still failing after 1m")
                    .endsWith("[BODY].status: expected healthy, got \"degraded\"");
            assertThat(stepOf(bad, "smoke").isMissingNode())
                    .as("no step after the failed gate")
                    .isTrue();
            for (String step : List.of("stop-new", "restore", "start-previous", "verify-previous")) {
                assertThat(stepOf(bad, step).path("phase").asText()).isEqualTo("rollback");
                assertThat(stepOf(bad, step).path("status").asText()).as(step).isEqualTo("succeeded");
            }
            assertThat(health(port)).as("the previous release serves again").contains("\"version\": \"v1.3.0\"");

            var refused = server.get("/api/v1/runs?limit=0");
            assertThat(refused.statusCode()).isEqualTo(400);
        } finally {
            Path pid = app.resolve("run/backend.pid");
            if (Files.exists(pid))
                ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroy);
        }
    }

    /**
     * A release whose start script serves its directory: /health answers the file health, and the paths the smoke
     * test reads are files too. It has no migrate command (nothing to migrate).
     */
    private static void release(Path app, String version, String status) throws Exception {
        Path dir = Files.createDirectories(app.resolve("releases").resolve(version));
        Files.writeString(
                dir.resolve("health"), "{\"status\": \"" + status + "\", \"version\": \"" + version + "\"}\n");
        Files.writeString(dir.resolve("ready"), "{\"ready\": true}\n");
        Path vault = Files.createDirectories(dir.resolve("api/v1/vault"));
        Files.writeString(dir.resolve("api/v1/version"), "{\"version\": \"" + version + "\"}\n");
        Files.writeString(vault.resolve("summary"), "{\"total_assets\": \"1.00\"}\n");
        Files.writeString(vault.resolve("metrics"), "{\"error_rate\": 0.0}\n");
        Path start = Files.writeString(
                dir.resolve("start"), "#!/bin/sh\nexec python3 -m http.server \"$1\" --bind 127.0.0.1\n");
        Files.setPosixFilePermissions(start, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static JsonNode deploy(TestServer server, String body, String status) throws Exception {
        var r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/runbooks/redeploy/runs"))
                                .header("Authorization", "Bearer " + server.token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = TestServer.JSON.readTree(r.body()).path("id").asText();
        long end = System.currentTimeMillis() + 120_000;
        JsonNode run = server.json("/api/v1/runs/" + id);
        while (run.path("status").asText().matches("queued|running") && System.currentTimeMillis() < end) {
            Thread.sleep(100);
            run = server.json("/api/v1/runs/" + id);
        }
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo(status);
        return run;
    }

    private static JsonNode stepOf(JsonNode run, String step) {
        for (JsonNode s : run.path("steps")) if (s.path("step").asText().equals(step)) return s;
        return MissingNode.getInstance();
    }

    private static String health(int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static Path copy(Path from, Path to) throws Exception {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return to;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
