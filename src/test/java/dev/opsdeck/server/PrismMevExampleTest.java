package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.YamlReader;
import java.io.IOException;
import java.net.ConnectException;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/prism-mev end to end: its own stack script builds the stack on this machine (a private nginx in front
 * of the stand-in API, the docs site), the example loads with the real loader, and a real server runs each
 * emergency runbook of the operator manual against the stack, whose effects the test then sees for itself: the
 * version link moved back, the maintenance page served and gone again, the revoked key refused, the releases
 * pruned and the docs site stopped.
 */
class PrismMevExampleTest {
    private static final Path EXAMPLE = Path.of("examples", "prism-mev");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void theEmergencyRunbooksWorkOnTheStack() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/sbin/nginx")) || onPath("nginx"),
                "nginx (.ci/run installs nginx-light)");
        int[] ports = freePorts(3);
        Path stack = dir.resolve("stack");
        // the operator's edit of the example for another host: its ports and its stack directory
        Path example = copy(
                EXAMPLE,
                dir.resolve("prism-mev"),
                Map.of(
                        "127.0.0.1:8800", "127.0.0.1:" + ports[0],
                        "127.0.0.1:8801", "127.0.0.1:" + ports[1],
                        "127.0.0.1:8802", "127.0.0.1:" + ports[2],
                        "/srv/prism-mev", stack.toString()));
        String pub = "http://127.0.0.1:" + ports[0];
        String api = "http://127.0.0.1:" + ports[1];
        String docs = "http://127.0.0.1:" + ports[2];

        Blueprint loaded =
                new Compiler(new ConfigLoader(new YamlReader(name -> null))).load(example); // no variables needed
        loaded.close();
        assertThat(loaded.runbooks())
                .containsKeys(
                        "deploy",
                        "rollback",
                        "traffic-off",
                        "traffic-on",
                        "credential-compromise",
                        "resource-exhaustion",
                        "resume-docs",
                        "daily-review",
                        "docs-hygiene",
                        "prune");

        exec(EXAMPLE.resolve("stack/up.sh").toString(), stack.toString(), "" + ports[0], "" + ports[1], "" + ports[2]);
        try (TestServer server = new TestServer(example.resolve("opsdeck.yaml"))) {
            awaitBody(api + "/api/v1/providers/health", "\"version\": \"v1.0.0\"");

            // deploys through the service's deploy: are records (the annotated change log), each carried out by
            // the deploy runbook and gated on the new version answering
            JsonNode first = deploy(server, "{\"version\": \"v1.1.0\", \"description\": \"fee model\"}");
            assertThat(first.path("state").asText()).as(first.toString()).isEqualTo("succeeded");
            assertThat(first.path("description").asText()).isEqualTo("fee model");
            assertThat(first.path("previous_version").isNull())
                    .as("v1.0.0 came with the stack, not through Opsdeck")
                    .isTrue();
            assertThat(server.json("/api/v1/runs/" + first.path("run_id").asText())
                            .path("runbook")
                            .asText())
                    .isEqualTo("deploy");
            JsonNode second = deploy(server, "{\"version\": \"v1.2.0\"}");
            assertThat(second.path("state").asText()).as(second.toString()).isEqualTo("succeeded");
            assertThat(second.path("previous_version").asText()).isEqualTo("v1.1.0");
            assertThat(second.path("evidence")).anySatisfy(e -> {
                assertThat(e.path("phase").asText()).isEqualTo("gate");
                assertThat(e.path("name").asText()).isEqualTo("prism-api/providers-health");
                assertThat(e.path("passed").asBoolean()).isTrue();
            });
            assertThat(server.json("/api/v1/deploys?service=prism-api").path("deploys"))
                    .extracting(d ->
                            d.path("version").asText() + " " + d.path("state").asText())
                    .containsExactly("v1.2.0 succeeded", "v1.1.0 succeeded");
            assertThat(Files.readSymbolicLink(stack.resolve("current"))).hasToString("releases/v1.2.0");

            // "roll back a bad deploy" with the runbook the availability page names: the previous version in the
            // stack's own log, redeployed through the deploy runbook
            JsonNode rollback = finish(server, start(server, "rollback", "{}"), "succeeded");
            assertThat(step(rollback, "pick").path("extracted").path("version").asText())
                    .isEqualTo("v1.1.0");
            assertThat(Files.readSymbolicLink(stack.resolve("current"))).hasToString("releases/v1.1.0");
            assertThat(get(api + "/api/v1/providers/health", null).body()).contains("\"version\": \"v1.1.0\"");
            List<String> changes = Files.readAllLines(stack.resolve("deploys.log"));
            assertThat(changes).hasSize(4);
            assertThat(changes.get(1)).contains(" v1.1.0 previous=v1.0.0 note=");
            assertThat(changes.get(3)).contains(" v1.1.0 previous=v1.2.0 note=rollback from v1.2.0");

            // a version that is not a version is refused before anything runs
            var refused =
                    post(server, "/api/v1/runbooks/rollback/runs", "{\"params\": {\"version\": \"v1; rm -rf /\"}}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("version");

            // "disable external traffic quickly", and back
            finish(server, start(server, "traffic-off", "{}"), "succeeded");
            var maintenance = get(pub + "/api/v1/providers/health", null);
            assertThat(maintenance.statusCode()).isEqualTo(503);
            assertThat(maintenance.body()).contains("PRISM MEV is down for maintenance");
            assertThat(get(api + "/api/v1/providers/health", null).statusCode())
                    .as("the API itself still runs")
                    .isEqualTo(200);
            finish(server, start(server, "traffic-on", "{}"), "succeeded");
            var live = get(pub + "/api/v1/providers/health", null);
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).contains("\"status\": \"ok\"");

            // "credential compromise": the key is revoked, its owner gets a new one, the API is redeployed, the
            // uses of the old key are listed
            String oldKey = key(stack, "searcher-1");
            String otherKey = key(stack, "dashboard");
            assertThat(get(api + "/api/v1/opportunities", oldKey).statusCode()).isEqualTo(200);
            String compromise = start(server, "credential-compromise", "{\"key\": \"searcher-1\"}");
            awaitStatus(server, compromise, "waiting_approval");
            assertThat(post(server, "/api/v1/runs/" + compromise + "/approve", "{\"reason\": \"key handed over\"}")
                            .statusCode())
                    .isEqualTo(200);
            JsonNode rotated = finish(server, compromise, "succeeded");
            assertThat(get(api + "/api/v1/opportunities", oldKey).statusCode())
                    .as("the old key")
                    .isEqualTo(401);
            String newKey = key(stack, "searcher-1");
            assertThat(newKey).isNotEqualTo(oldKey).hasSize(48);
            assertThat(get(api + "/api/v1/opportunities", newKey).statusCode()).isEqualTo(200);
            assertThat(get(api + "/api/v1/opportunities", otherKey).statusCode())
                    .as("the other key is untouched")
                    .isEqualTo(200);
            String audit = output(server, compromise, rotated, "audit");
            assertThat(audit)
                    .contains("requests with key searcher-1 (fingerprint ")
                    .contains(": 2\n");
            assertThat(audit).containsPattern("1 client=127.0.0.1 200\\n\\s+1 client=127.0.0.1 401");
            for (JsonNode s : rotated.path("steps")) {
                String out = output(server, compromise, rotated, s.path("step").asText());
                assertThat(out)
                        .as("no key in the output of %s", s.path("step").asText())
                        .doesNotContain(oldKey)
                        .doesNotContain(newKey);
            }
            assertThat(Files.readAllLines(stack.resolve("deploys.log")).getLast())
                    .contains(" v1.1.0 previous=v1.1.0 note=credential rotation: key searcher-1");

            // "resource exhaustion": prune, stop what is not critical; the API keeps answering
            assertThat(list(stack.resolve("cache"))).hasSize(3);
            JsonNode exhausted = finish(server, start(server, "resource-exhaustion", "{}"), "succeeded");
            assertThat(step(exhausted, "scale-down").path("status").asText()).isEqualTo("succeeded");
            assertThat(list(stack.resolve("cache"))).isEmpty();
            assertThat(list(stack.resolve("releases")))
                    .as("the running version and the last rollback target stay")
                    .containsExactly("v1.1.0", "v1.2.0");
            assertThat(Files.exists(stack.resolve("run/docs.pid"))).isFalse();
            assertThat(refusedConnection(docs + "/index.md"))
                    .as("the docs site is stopped")
                    .isTrue();
            assertThat(get(api + "/api/v1/providers/health", null).statusCode()).isEqualTo(200);
            finish(server, start(server, "resume-docs", "{}"), "succeeded");
            assertThat(get(docs + "/index.md", null).statusCode()).isEqualTo(200);

            // the routine tasks: docs validated and built, the daily review waits for a person
            finish(server, start(server, "docs-hygiene", "{}"), "succeeded");
            String review = start(server, "daily-review", "{}");
            JsonNode waiting = awaitStatus(server, review, "waiting_approval");
            assertThat(output(server, review, waiting, "unused-keys"))
                    .containsPattern("searcher-1: \\d{4}-\\d\\d-\\d\\dT")
                    .containsPattern("dashboard: \\d{4}-\\d\\d-\\d\\dT");
            assertThat(post(server, "/api/v1/runs/" + review + "/approve", "{\"reason\": \"nothing new\"}")
                            .statusCode())
                    .isEqualTo(200);
            finish(server, review, "succeeded");
        } finally {
            stop(stack);
        }
    }

    private static String start(TestServer server, String runbook, String params) throws Exception {
        var r = post(server, "/api/v1/runbooks/" + runbook + "/runs", "{\"params\": " + params + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestServer.JSON.readTree(r.body()).path("id").asText();
    }

    /** Deploys prism-api through its deploy: and waits for the deploy to end; the record with its evidence. */
    private static JsonNode deploy(TestServer server, String body) throws Exception {
        var r = post(server, "/api/v1/services/prism-api/deploys", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = TestServer.JSON.readTree(r.body()).path("id").asText();
        long end = System.currentTimeMillis() + 90_000;
        JsonNode d = server.json("/api/v1/deploys/" + id);
        while (d.path("state").asText().matches("pending|running|verifying") && System.currentTimeMillis() < end) {
            Thread.sleep(100);
            d = server.json("/api/v1/deploys/" + id);
        }
        return d;
    }

    private static JsonNode finish(TestServer server, String id, String status) throws Exception {
        JsonNode run = awaitEnd(server, id);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo(status);
        return run;
    }

    private static JsonNode awaitEnd(TestServer server, String id) throws Exception {
        long end = System.currentTimeMillis() + 60_000;
        JsonNode run = server.json("/api/v1/runs/" + id);
        while (run.path("status").asText().matches("queued|running") && System.currentTimeMillis() < end) {
            Thread.sleep(100);
            run = server.json("/api/v1/runs/" + id);
        }
        return run;
    }

    private static JsonNode awaitStatus(TestServer server, String id, String status) throws Exception {
        JsonNode run = awaitEnd(server, id);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo(status);
        return run;
    }

    private static JsonNode step(JsonNode run, String id) {
        for (JsonNode s : run.path("steps")) if (s.path("step").asText().equals(id)) return s;
        return MissingNode.getInstance();
    }

    private static String output(TestServer server, String runId, JsonNode run, String stepId) throws Exception {
        JsonNode s = step(run, stepId);
        assertThat(s.isMissingNode()).as("step %s in %s", stepId, run).isFalse();
        return server.get("/api/v1/runs/" + runId + "/steps/" + s.path("seq").asInt() + "/output")
                .body();
    }

    private static HttpResponse<String> post(TestServer server, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + server.token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String bearer) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean refusedConnection(String url) throws Exception {
        try {
            get(url, null);
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    private static void awaitBody(String url, String text) throws Exception {
        long end = System.currentTimeMillis() + 15_000;
        while (true) {
            try {
                if (get(url, null).body().contains(text)) return;
            } catch (IOException notYet) {
                // the API is still starting
            }
            if (System.currentTimeMillis() > end) throw new AssertionError(url + " never answered " + text);
            Thread.sleep(100);
        }
    }

    /** The secret of a key in the stack's keys file ("NAME SECRET" per line). */
    private static String key(Path stack, String name) throws IOException {
        for (String line : Files.readAllLines(stack.resolve("secrets/api_keys"))) {
            String[] parts = line.split(" ");
            if (parts[0].equals(name)) return parts[1];
        }
        throw new AssertionError("no key " + name);
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void exec(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** Stops the stack (down.sh), then anything whose pid file is left: no process outlives the test. */
    private static void stop(Path stack) throws Exception {
        if (Files.exists(stack.resolve("bin/svc"))) {
            Process p = new ProcessBuilder(EXAMPLE.resolve("stack/down.sh").toString(), stack.toString())
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        for (String pidFile : List.of("run/api.pid", "run/docs.pid", "run/nginx.pid", "nginx/run/nginx.pid")) {
            Path f = stack.resolve(pidFile);
            if (Files.exists(f))
                ProcessHandle.of(Long.parseLong(Files.readString(f).strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) sockets.add(new ServerSocket(0));
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : sockets) s.close();
        }
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":"))
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) return true;
        return false;
    }

    /** Copies the example, replacing each key of {@code edits} by its value in the YAML files. */
    private static Path copy(Path from, Path to, Map<String, String> edits) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (p.toString().endsWith(".yaml")) {
                    String text = Files.readString(p);
                    for (var e : edits.entrySet()) text = text.replace(e.getKey(), e.getValue());
                    Files.writeString(target, text);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
