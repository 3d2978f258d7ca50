package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/yieldvault end to end as a deploy: the example's own stack script lays out three releases and stand-in
 * users, a real server deploys through the example's redeploy runbook (real shell, real processes), gates on
 * /health and bakes on the error rate the backend measures. A good release succeeds; a release that starts
 * healthy and begins failing requests seconds later passes the gate, fails the bake and is rolled back, after
 * which the good release really serves again. The record, the webhook messages and the DORA figures say so.
 */
class YieldVaultDeployTest {
    private static final Path EXAMPLE = Path.of("examples", "yieldvault");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void aReleaseThatFailsTheBakeIsRolledBackToTheLastGoodOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path app = dir.resolve("app");
        String backend = "http://127.0.0.1:" + port;
        try (WebhookReceiver hook = new WebhookReceiver()) {
            // the operator's edits the README describes: this host's paths and port, the webhook, a short bake
            Map<String, String> edits = new LinkedHashMap<>();
            edits.put("${env:DEPLOY_WEBHOOK_URL}", hook.url());
            edits.put("/app/yieldvault-backend", app.toString());
            edits.put("127.0.0.1:3000", "127.0.0.1:" + port);
            edits.put("default: \"3000\"", "default: \"" + port + "\"");
            edits.put("duration: 10m", "duration: 15s");
            edits.put("interval: 30s", "interval: 500ms");
            Path example = copy(EXAMPLE, dir.resolve("yieldvault"), edits);
            // v1.3.1 starts failing one request in four 5 seconds after it started: after the gate, in the bake
            exec(Map.of("FAULT_AFTER", "5"), EXAMPLE.resolve("stack/up.sh").toString(), app.toString(), "" + port);

            awaitBody(backend + "/health", "\"version\": \"v1.2.3\""); // the release up.sh started

            try (TestServer server = new TestServer(example.resolve("opsdeck.yaml"))) {
                JsonNode good = deploy(server, "v1.3.0");
                assertThat(good.path("state").asText()).as(good.toString()).isEqualTo("succeeded");
                assertThat(good.path("previous_version").isNull())
                        .as("v1.2.3 came with the stack, not through Opsdeck")
                        .isTrue();
                assertThat(get(backend + "/health")).contains("\"version\": \"v1.3.0\"");
                JsonNode goodRun =
                        server.json("/api/v1/runs/" + good.path("run_id").asText());
                assertThat(goodRun.path("steps"))
                        .extracting(s -> s.path("step").asText())
                        .containsExactly(
                                "assess", "prepare", "stop", "deploy", "config", "migrate", "start", "verify", "smoke");
                assertThat(output(server, goodRun, "migrate")).contains("applied 002_fees.sql");

                JsonNode bad = deploy(server, "v1.3.1");
                assertThat(bad.path("state").asText()).as(bad.toString()).isEqualTo("rolled_back");
                assertThat(bad.path("previous_version").asText()).isEqualTo("v1.3.0");
                List<JsonNode> evidence = new ArrayList<>();
                bad.path("evidence").forEach(evidence::add);
                assertThat(evidence)
                        .as("v1.3.1 passed the gate: it answered as v1.3.1 at start-up")
                        .anySatisfy(e -> {
                            assertThat(e.path("phase").asText()).isEqualTo("gate");
                            assertThat(e.path("name").asText()).isEqualTo("backend/health");
                            assertThat(e.path("passed").asBoolean()).isTrue();
                        });
                JsonNode failing = evidence.stream()
                        .filter(e -> e.path("phase").asText().equals("bake")
                                && !e.path("passed").asBoolean())
                        .reduce((a, b) -> b)
                        .orElseThrow(() -> new AssertionError("no failing bake sample in " + bad));
                assertThat(failing.path("name").asText()).isEqualTo("backend/errors");
                assertThat(failing.path("detail").asText()).contains("[BODY].error_rate");
                assertThat(failing.path("body").asText()).contains("\"version\": \"v1.3.1\"", "\"errors\": ");
                String outcome = evidence.getLast().path("detail").asText();
                assertThat(outcome)
                        .startsWith("bake failed: backend/errors failed 2 of the last")
                        .contains("[BODY].error_rate")
                        .endsWith("; rolled back to v1.3.0");

                // the good release really serves again, through the same runbook
                assertThat(get(backend + "/health")).contains("\"version\": \"v1.3.0\"");
                assertThat(Files.readSymbolicLink(app.resolve("current"))).hasToString("releases/v1.3.0");
                JsonNode back = server.json(
                        "/api/v1/runs/" + bad.path("rollback_run_id").asText());
                assertThat(back.path("status").asText()).isEqualTo("succeeded");
                assertThat(back.path("params").path("version").asText()).isEqualTo("v1.3.0");
                assertThat(output(server, back, "prepare")).contains("previous=v1.3.1");

                // the change log, newest first, and the versions a rollback may choose from
                JsonNode log = server.json("/api/v1/deploys?service=backend");
                assertThat(log.path("deploys"))
                        .extracting(d -> d.path("version").asText() + " "
                                + d.path("state").asText())
                        .containsExactly("v1.3.1 rolled_back", "v1.3.0 succeeded");
                assertThat(server.json("/api/v1/services/backend/versions").path("versions"))
                        .extracting(v -> v.path("version").asText())
                        .containsExactly("v1.3.0");

                // the webhook: the success, then the rollback with the versions and the failing condition
                TestServer.await(
                        () -> hook.count("deploy.failed") == 1 && hook.count("deploy.succeeded") == 1, "messages");
                JsonNode message = hook.received.stream()
                        .filter(m -> m.path("template").asText().equals("deploy.failed"))
                        .findFirst()
                        .orElseThrow();
                JsonNode fields = message.path("fields");
                assertThat(fields.path("service").asText()).isEqualTo("backend");
                assertThat(fields.path("version").asText()).isEqualTo("v1.3.1");
                assertThat(fields.path("previous_version").asText()).isEqualTo("v1.3.0");
                assertThat(fields.path("status").asText()).isEqualTo("rolled_back");
                assertThat(fields.path("summary").asText()).isEqualTo(outcome);
                assertThat(message.path("text").asText())
                        .contains("Deploy of backend v1.3.1 to production rolled_back (previous v1.3.0)")
                        .contains("backend/errors failed")
                        .contains("[BODY].error_rate");

                // DORA from the records: 2 deploys, 1 succeeded, 1 failed change recovered by its own rollback
                JsonNode dora = server.json("/api/v1/deploys/dora?service=backend&days=30");
                JsonNode f = dora.path("figures");
                assertThat(f.path("deploys").asInt()).as(dora.toString()).isEqualTo(2);
                assertThat(f.path("succeeded").asInt()).isEqualTo(1);
                assertThat(f.path("per_day").asDouble()).isCloseTo(1 / 30.0, within(1e-9));
                assertThat(f.path("change_failures").asInt()).isEqualTo(1);
                assertThat(f.path("change_failure_rate").asDouble()).isCloseTo(0.5, within(1e-9));
                assertThat(f.path("recovery").path("samples").asInt()).isEqualTo(1);
                assertThat(f.path("recovery").path("median_seconds").asDouble())
                        .isCloseTo(bad.path("duration_ms").asLong() / 1000.0, within(1e-9));
                assertThat(f.path("unrecovered").asInt()).isZero();
                assertThat(f.path("rework").asInt()).isZero();
                assertThat(f.path("lead_time").path("samples").asInt())
                        .as("no commit times given")
                        .isZero();
                assertThat(dora.path("failures"))
                        .extracting(x -> x.path("deploy").asText())
                        .containsExactly(bad.path("id").asText());
            }
        } finally {
            exec(Map.of(), EXAMPLE.resolve("stack/down.sh").toString(), app.toString());
        }
    }

    private static JsonNode deploy(TestServer server, String version) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/services/backend/deploys"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + server.token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"version\": \"" + version + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = TestServer.JSON.readTree(r.body()).path("id").asText();
        long end = System.currentTimeMillis() + 180_000;
        JsonNode d = server.json("/api/v1/deploys/" + id);
        while (d.path("state").asText().matches("pending|running|verifying") && System.currentTimeMillis() < end) {
            Thread.sleep(200);
            d = server.json("/api/v1/deploys/" + id);
        }
        return d;
    }

    private static String output(TestServer server, JsonNode run, String step) throws Exception {
        for (JsonNode s : run.path("steps")) {
            if (s.path("step").asText().equals(step)) {
                return server.get("/api/v1/runs/" + run.path("id").asText() + "/steps/"
                                + s.path("seq").asInt() + "/output")
                        .body();
            }
        }
        throw new AssertionError("no step " + step + " in " + run);
    }

    private static void awaitBody(String url, String text) throws Exception {
        long end = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                if (get(url).contains(text)) return;
            } catch (IOException notYet) {
                // still starting
            }
            if (System.currentTimeMillis() > end) throw new AssertionError(url + " never answered " + text);
            Thread.sleep(100);
        }
    }

    private static String get(String url) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static void exec(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** Copies the example, replacing each key of {@code edits} in its YAML files; each edit must apply. */
    private static Path copy(Path from, Path to, Map<String, String> edits) throws IOException {
        Map<String, Integer> applied = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (p.toString().endsWith(".yaml")) {
                    String text = Files.readString(p);
                    for (var e : edits.entrySet()) {
                        if (text.contains(e.getKey())) applied.merge(e.getKey(), 1, Integer::sum);
                        text = text.replace(e.getKey(), e.getValue());
                    }
                    Files.writeString(target, text);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        assertThat(applied.keySet())
                .as("edits that found their text")
                .containsExactlyInAnyOrderElementsOf(edits.keySet());
        return to;
    }
}
