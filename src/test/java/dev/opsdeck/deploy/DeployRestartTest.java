package dev.opsdeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server stops during a deploy: killed with -9 while the deploy runbook runs (a real child process), and stopped
 * in order while a deploy waits in its gate. Either way, after the restart the deploy is failed with what to do, its
 * evidence ends with that line, nothing is left running, and the service can be deployed again.
 */
class DeployRestartTest {
    static final String ADVICE = "the service may run either version: check it, then deploy again or roll back";

    @TempDir
    Path dir;

    Path config(Path started, Path release) throws Exception {
        return Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%1$s/data" }
                runbooks:
                  ship:
                    params: { version: { required: true, pattern: "^[0-9.]+$" } }
                    steps:
                      - id: install
                        type: shell
                        timeout: 2m
                        run: 'echo "$1" >> "%2$s"; while [ ! -f "%3$s" ]; do sleep 0.1; done; echo "installed $1"'
                        args: ["{{params.version}}"]
                services:
                  shop:
                    checks:
                      up: { type: tcp, host: 127.0.0.1, port: 9, interval: 1h, timeout: 200ms }
                    deploy:
                      runbook: ship
                      gate: { timeout: 1m, interval: 200ms }
                """.formatted(dir, started, release));
    }

    @Test
    void killedDuringTheRunbookLeavesTheDeployFailedWithWhatToDo() throws Exception {
        Path started = dir.resolve("started");
        Path release = dir.resolve("release");
        Path config = config(started, release);
        Process child = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-Xmx256m",
                        "--enable-native-access=ALL-UNNAMED",
                        "-DOPSDECK_LOG_LEVEL=WARN",
                        "-cp",
                        System.getProperty("java.class.path"),
                        DeployKillChild.class.getName(),
                        config.toString()))
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        String id;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line = out.readLine();
            assertThat(line)
                    .as("child output (see %s)", dir.resolve("child.err"))
                    .startsWith("deploy dep-");
            id = line.substring("deploy ".length());
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Files.exists(started) && System.currentTimeMillis() < deadline) Thread.sleep(20);
            assertThat(started).as("the runbook step started").exists();
            child.destroyForcibly(); // no chance to record anything
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }

        try (TestServer server = new TestServer(config)) {
            JsonNode d = server.json("/api/v1/deploys/" + id);
            assertThat(d.path("state").asText()).isEqualTo("failed");
            assertThat(d.path("ended_at").isNull()).isFalse();
            JsonNode ev = d.path("evidence");
            JsonNode last = ev.get(ev.size() - 1);
            assertThat(last.path("phase").asText()).isEqualTo("outcome");
            assertThat(last.path("detail").asText())
                    .isEqualTo("the server stopped while the deploy was running; " + ADVICE);
            // the runbook engine marked its run interrupted too: nothing is left running
            JsonNode run = server.json("/api/v1/runs/" + d.path("run_id").asText());
            assertThat(run.path("status").asText()).isEqualTo("interrupted");
            assertThat(server.json("/api/v1/deploys?state=running").path("deploys"))
                    .isEmpty();
            // a previous success is not invented: the failed deploy is not a version to roll back to
            assertThat(server.json("/api/v1/services/shop/versions").path("versions"))
                    .isEmpty();
            // and the service takes a deploy again (one at a time no longer holds)
            HttpResponseCheck.accepted(server, "/api/v1/services/shop/deploys", "{\"version\": \"2.0.1\"}");
        }
    }

    @Test
    void anOrderlyStopDuringTheGateEndsTheDeployFailedAtOnce() throws Exception {
        Path started = dir.resolve("started");
        Path release = Files.writeString(dir.resolve("release"), "go"); // the runbook finishes at once
        Path config = config(started, release);
        String id;
        TestServer first = new TestServer(config);
        try {
            id = HttpResponseCheck.accepted(first, "/api/v1/services/shop/deploys", "{\"version\": \"1.0.0\"}");
            // port 9 answers nothing: the gate keeps probing for a minute
            TestServer.awaitHttp(
                    () -> first.json("/api/v1/deploys/" + id)
                            .path("state")
                            .asText()
                            .equals("verifying"),
                    "the gate");
        } finally {
            long t = System.nanoTime();
            first.close();
            assertThat((System.nanoTime() - t) / 1_000_000).as("stop took ms").isLessThan(10_000);
        }
        try (TestServer server = new TestServer(config)) {
            JsonNode d = server.json("/api/v1/deploys/" + id);
            assertThat(d.path("state").asText()).isEqualTo("failed");
            JsonNode ev = d.path("evidence");
            assertThat(ev.get(ev.size() - 1).path("detail").asText())
                    .isEqualTo("the server stopped while the deploy was verifying; " + ADVICE);
            long outcomes = 0;
            for (JsonNode e : ev) if (e.path("phase").asText().equals("outcome")) outcomes++;
            assertThat(outcomes)
                    .as("one outcome line, not one per stop and start")
                    .isEqualTo(1);
        }
    }
}
