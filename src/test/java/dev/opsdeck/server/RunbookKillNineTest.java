package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the server during a run: after the restart the run is interrupted at the step it was in (never left
 * running), and an operator resumes it from that step; the earlier step is not run again.
 */
class RunbookKillNineTest {
    @TempDir
    Path dir;

    @Test
    void aRunCutShortByKillNineIsInterruptedAndResumes() throws Exception {
        Path first = dir.resolve("first-count");
        Path release = dir.resolve("release");
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%1$s/data" }
                runbooks:
                  restore:
                    params: { token: { secret: true, required: true } }
                    steps:
                      - { id: first, type: shell, run: 'echo x >> "%2$s"' }
                      - { id: slow, type: shell, timeout: 2m, run: 'while [ ! -f "%3$s" ]; do sleep 0.1; done; echo "released with $T"', env: { T: "{{params.token}}" } }
                """.formatted(dir, first, release));
        Process child = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-Xmx256m",
                        "--enable-native-access=ALL-UNNAMED",
                        "-DOPSDECK_LOG_LEVEL=WARN",
                        "-cp",
                        System.getProperty("java.class.path"),
                        RunbookKillChild.class.getName(),
                        config.toString()))
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        String runId;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line = out.readLine();
            assertThat(line)
                    .as("child output (see %s)", dir.resolve("child.err"))
                    .startsWith("run ");
            runId = line.substring(4);
            // wait until the slow step runs, then kill the server without a chance to clean up
            long deadline = System.currentTimeMillis() + 20_000;
            while (!Files.exists(first) && System.currentTimeMillis() < deadline) Thread.sleep(20);
            Thread.sleep(500);
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }

        try (TestServer server = new TestServer(config)) {
            JsonNode run = server.json("/api/v1/runs/" + runId);
            assertThat(run.path("status").asText()).isEqualTo("interrupted");
            assertThat(run.path("current_step").asText()).isEqualTo("slow");
            assertThat(run.path("message").asText())
                    .isEqualTo("the server stopped during step slow; resume it from that step or from the start");
            assertThat(run.path("steps").get(1).path("status").asText()).isEqualTo("interrupted");
            assertThat(run.path("params").path("token").asText()).isEqualTo("***");

            HttpResponse<String> refused = post(server, "/api/v1/runs/" + runId + "/resume", "{}");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(TestServer.JSON.readTree(refused.body()).path("detail").asText())
                    .isEqualTo("parameter 'token' is secret and was not stored: give it again to resume");

            Files.writeString(release, "go");
            HttpResponse<String> resumed = post(
                    server,
                    "/api/v1/runs/" + runId + "/resume",
                    "{\"from\": \"step\", \"params\": {\"token\": \"s3cret-token\"}}");
            assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
            TestServer.awaitHttp(
                    () -> server.json("/api/v1/runs/" + runId)
                            .path("status")
                            .asText()
                            .equals("succeeded"),
                    "the resumed run");
            JsonNode done = server.json("/api/v1/runs/" + runId);
            assertThat(Files.readAllLines(first))
                    .as("the step before the interruption ran once")
                    .hasSize(1);
            JsonNode last = done.path("steps").get(done.path("steps").size() - 1);
            assertThat(last.path("step").asText()).isEqualTo("slow");
            assertThat(last.path("status").asText()).isEqualTo("succeeded");
            HttpResponse<String> output = server.get(
                    "/api/v1/runs/" + runId + "/steps/" + last.path("seq").asInt() + "/output");
            assertThat(output.body()).isEqualTo("released with ***\n");
        }
    }

    private static HttpResponse<String> post(TestServer server, String path, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + path))
                                .header("Authorization", "Bearer " + server.token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
