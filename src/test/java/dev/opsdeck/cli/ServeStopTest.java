package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
 * A real {@code opsdeck serve} process with secrets in its environment: a runbook step sees none of them unless the
 * step passes one, and one the configuration uses is masked in the stored output, the API and the event stream.
 * SIGTERM: the server says it is stopping and that it stopped, the running step's whole process group is killed
 * (no orphan left under PID 1), and the run is recorded interrupted, ready to resume.
 */
class ServeStopTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CHECK_TOKEN = "check-token-5d21c9e0";
    private static final String SERVER_ONLY = "server-only-9a7f3b";

    @TempDir
    Path dir;

    @Test
    void secretsStayOutOfStepsAndSigtermInterruptsRunsAndKillsTheirProcessGroups() throws Exception {
        Path orphan = dir.resolve("orphan.pid");
        Path background = dir.resolve("background.pid");
        Path shell = dir.resolve("shell.pid");
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s/data" }
                services:
                  api:
                    checks:
                      health:
                        type: http
                        interval: 1h
                        url: http://127.0.0.1:9/health
                        headers: { Authorization: "Bearer ${env:CHECK_TOKEN}" }
                runbooks:
                  leak:
                    steps:
                      - { id: plain, type: shell, run: 'echo "server=${SERVER_ONLY:-unset} check=${CHECK_TOKEN:-unset}"' }
                      - { id: passed, type: shell, pass_env: [CHECK_TOKEN], run: 'echo "check=$CHECK_TOKEN"' }
                  hang:
                    steps:
                      - id: hang
                        type: shell
                        timeout: 10m
                        run: 'echo $$ > %s; sh -c "sleep 300 & echo \\$! > %s"; sleep 300 & echo $! > %s; sleep 300'
                """.formatted(dir, shell, orphan, background));
        Path log = dir.resolve("server.log");
        String runId;
        Process server = start(config, log);
        try {
            Child child = connect(server, log);
            String leak = startRun(child, "leak");
            JsonNode run = awaitStatus(child, leak, "succeeded");
            String stepOutput = send(child, "/api/v1/runs/" + leak + "/steps/1/output", "text/plain")
                    .body();
            assertThat(stepOutput).isEqualTo("server=unset check=unset\n");
            assertThat(send(child, "/api/v1/runs/" + leak + "/steps/2/output", "text/plain")
                            .body())
                    .isEqualTo("check=***\n");
            assertThat(run.toString()).doesNotContain(CHECK_TOKEN).doesNotContain(SERVER_ONLY);
            String events = events(child, leak);
            assertThat(events).contains("check=***").doesNotContain(CHECK_TOKEN).doesNotContain(SERVER_ONLY);

            runId = startRun(child, "hang");
            long end = System.currentTimeMillis() + 20_000;
            while (!(Files.exists(orphan) && Files.exists(background) && Files.exists(shell))
                    && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            Thread.sleep(200);
            server.destroy(); // SIGTERM
            assertThat(server.waitFor(30, TimeUnit.SECONDS))
                    .as("stopped within 30 s")
                    .isTrue();
        } finally {
            server.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.stream().filter(l -> l.contains(" event=stopping")))
                .as("log %s", lines)
                .hasSize(1);
        assertThat(lines.stream().filter(l -> l.contains(" event=stopped ")))
                .as("log %s", lines)
                .hasSize(1);
        for (Path pid : List.of(shell, orphan, background)) {
            long p = Long.parseLong(Files.readString(pid).strip());
            assertThat(running(p))
                    .as("process %s from %s after SIGTERM", p, pid.getFileName())
                    .isFalse();
        }

        Path log2 = dir.resolve("server2.log");
        Process again = start(config, log2);
        try {
            Child child = connect(again, log2);
            JsonNode run = json(child, "/api/v1/runs/" + runId);
            assertThat(run.path("status").asText()).isEqualTo("interrupted");
            assertThat(run.path("message").asText())
                    .isEqualTo("the server stopped during step hang; resume it from that step or from the start");
            assertThat(run.path("steps").get(0).path("status").asText()).isEqualTo("interrupted");
            assertThat(Files.readString(log2))
                    .as("recorded by the stopping server, not found active at the restart")
                    .doesNotContain("event=runbook_runs_interrupted");
        } finally {
            again.destroy();
            if (!again.waitFor(30, TimeUnit.SECONDS)) again.destroyForcibly();
        }
    }

    private record Child(String url, String token) {}

    private static Process start(Path config, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-Xmx256m",
                        "--enable-native-access=ALL-UNNAMED",
                        "-DOPSDECK_LOG_LEVEL=INFO",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ServeChild.class.getName(),
                        config.toString()))
                .redirectError(log.toFile());
        pb.environment().putAll(Map.of("CHECK_TOKEN", CHECK_TOKEN, "SERVER_ONLY", SERVER_ONLY));
        return pb.start();
    }

    private static Child connect(Process p, Path log) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String url = null;
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("url ")) url = line.substring(4);
            if (line.startsWith("token ")) return new Child(url, line.substring(6));
        }
        throw new AssertionError("the server did not start; see " + log + ": " + Files.readString(log));
    }

    private static String startRun(Child c, String runbook) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(c.url() + "/api/v1/runbooks/" + runbook + "/runs"))
                        .header("Authorization", "Bearer " + c.token())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestServer.JSON.readTree(r.body()).path("id").asText();
    }

    private static JsonNode awaitStatus(Child c, String id, String status) throws Exception {
        long end = System.currentTimeMillis() + 20_000;
        JsonNode run = json(c, "/api/v1/runs/" + id);
        while (!run.path("status").asText().equals(status) && System.currentTimeMillis() < end) {
            Thread.sleep(50);
            run = json(c, "/api/v1/runs/" + id);
        }
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo(status);
        return run;
    }

    private static JsonNode json(Child c, String path) throws Exception {
        return TestServer.JSON.readTree(send(c, path, "application/json").body());
    }

    private static HttpResponse<String> send(Child c, String path, String accept) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(c.url() + path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + c.token())
                        .header("Accept", accept)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The event stream of an ended run, up to its end event. */
    private static String events(Child c, String id) throws Exception {
        HttpResponse<Stream<String>> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(c.url() + "/api/v1/runs/" + id + "/events"))
                        .header("Authorization", "Bearer " + c.token())
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        try (Stream<String> s = r.body()) {
            var it = s.iterator();
            while (it.hasNext()) {
                String line = it.next();
                lines.add(line);
                if (line.startsWith("event:") && line.substring(6).strip().equals("end")) break;
            }
        }
        return String.join("\n", lines);
    }

    /** Alive and not a zombie (a killed orphan waits for PID 1 to reap it, which a container may never do). */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        if (!Files.exists(stat)) return false;
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    }
}
