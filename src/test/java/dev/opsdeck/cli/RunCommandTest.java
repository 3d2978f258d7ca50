package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsdeck runbook list|show} and {@code opsdeck run ... --dry-run|--follow}, approve and resume, against a real server. */
class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void listShowDryRunFollowApproveAndResume() throws Exception {
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                runbooks:
                  rb-001:
                    title: PostgreSQL failure
                    target: 10m
                    params:
                      start: { required: true, pattern: "^[0-9T:-]+$", description: Incident start }
                      key: { secret: true }
                    steps:
                      - { id: check, type: shell, target: 5s, run: 'echo "checking since $1 with $K"', args: ["{{params.start}}"], env: { K: "{{params.key}}" } }
                      - { id: go, type: approval, prompt: "Restart?" }
                      - { id: restart, type: shell, run: 'echo restarted' }
                """.formatted(dir.resolve("data")));
        try (TestServer server = new TestServer(config)) {
            String[] remote = {"--server", server.url(), "--token", server.token};

            CliTest.Run list = run(remote, "runbook", "list");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out())
                    .startsWith("ID")
                    .contains("rb-001  PostgreSQL failure  3      10m  never         UNTESTED");

            CliTest.Run show = run(remote, "runbook", "show", "rb-001");
            assertThat(show.out())
                    .contains("start (string, required): Incident start")
                    .contains("key (string, secret)")
                    .contains("1. check [shell] check (target 5s)")
                    .contains("2. go [approval] go");

            CliTest.Run dry = run(
                    remote,
                    "run",
                    "rb-001",
                    "--param",
                    "start=2025-06-04T08:00",
                    "--param",
                    "key=hunter22",
                    "--dry-run");
            assertThat(dry.code()).as(dry.err()).isZero();
            assertThat(dry.out())
                    .startsWith(
                            "Dry run of rb-001 (nothing ran).\nParameters: {\"start\":\"2025-06-04T08:00\",\"key\":\"***\"}\n")
                    .contains("  1. check (shell, target 5s): check\n");
            assertThat(server.json("/api/v1/runs").path("runs")).isEmpty();

            CliTest.Run refused = run(remote, "run", "rb-001", "--param", "start=$(reboot)");
            assertThat(refused.code()).isEqualTo(Main.INVALID);
            assertThat(refused.err()).contains("400 parameter 'start': \"$(reboot)\" does not match ^[0-9T:-]+$");
            assertThat(run(remote, "run", "rb-001", "--param", "start").code()).isEqualTo(Main.INVALID);

            // the person who starts it approves it too (no four_eyes here), over the API while --follow prints
            // (the CLI's output capture takes one command at a time)
            Thread approver = Thread.ofVirtual().start(() -> {
                try {
                    TestServer.awaitHttp(
                            () -> server.json("/api/v1/runs")
                                    .path("runs")
                                    .get(0)
                                    .path("status")
                                    .asText()
                                    .equals("waiting_approval"),
                            "the approval");
                    String id = server.json("/api/v1/runs")
                            .path("runs")
                            .get(0)
                            .path("id")
                            .asText();
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/runs/" + id + "/approve"))
                                            .header("Authorization", "Bearer " + server.token)
                                            .POST(HttpRequest.BodyPublishers.noBody())
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            CliTest.Run follow =
                    run(remote, "run", "rb-001", "-p", "start=2025-06-04T08:00", "-p", "key=hunter22", "--follow");
            approver.join();
            assertThat(follow.code()).as(follow.out() + follow.err()).isZero();
            assertThat(follow.out())
                    .contains("▶ check [shell]\n  │ checking since 2025-06-04T08:00 with ***\n  succeeded in ")
                    .contains("▶ go [approval]\n")
                    .contains(": approved by admin\n")
                    .contains("▶ restart [shell]\n  │ restarted\n")
                    .contains("TOTAL")
                    .doesNotContain("hunter22");
            assertThat(run(remote, "runbook", "list").out()).doesNotContain("UNTESTED");

            String id =
                    server.json("/api/v1/runs").path("runs").get(0).path("id").asText();
            CliTest.Run status = run(remote, "run", "status", id);
            assertThat(status.out())
                    .startsWith("Run " + id + " of rb-001: succeeded (all steps done)\nSTEP")
                    .contains("check ")
                    .contains("TOTAL    succeeded  10m");
            CliTest.Run second = run(remote, "run", "rb-001", "-p", "start=2025-06-05T09:00");
            assertThat(second.out()).startsWith("Started run-").contains("; follow it with: opsdeck run status run-");
            String secondId =
                    server.json("/api/v1/runs").path("runs").get(0).path("id").asText();
            TestServer.awaitHttp(
                    () -> server.json("/api/v1/runs/" + secondId)
                            .path("pending_approval")
                            .isObject(),
                    "the approval");
            CliTest.Run reject = run(remote, "run", "reject", secondId, "--reason", "not in business hours");
            assertThat(reject.out()).isEqualTo("Rejected step go of " + secondId + ".\n");
            TestServer.awaitHttp(
                    () -> server.json("/api/v1/runs/" + secondId)
                            .path("status")
                            .asText()
                            .equals("failed"),
                    "the rejection");
            assertThat(run(remote, "run", "cancel", secondId).err())
                    .contains("409 run " + secondId + " is failed, not running");
            CliTest.Run resume = run(remote, "run", "resume", id);
            assertThat(resume.code()).isEqualTo(Main.FAILED);
            assertThat(resume.err()).contains("409 run " + id + " succeeded; start a new run instead");
        }
    }

    /** Following a run already under way (the event stream from its start) prints each line once; a failure exits 1. */
    @Test
    void followJoinsARunningRunAndItsExitCodeIsTheRunsResult() throws Exception {
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                runbooks:
                  rb-002:
                    title: Slow printer
                    steps:
                      - { id: count, type: shell, target: 10s, run: 'for i in 1 2 3 4 5; do echo "line $i"; sleep 0.3; done' }
                      - { id: last, type: shell, run: 'printf "no newline"' }
                  rb-003:
                    title: Fails
                    steps:
                      - { id: boom, type: shell, run: 'echo "about to fail"; exit 3' }
                """.formatted(dir.resolve("data")));
        try (TestServer server = new TestServer(config)) {
            String[] remote = {"--server", server.url(), "--token", server.token};
            CliTest.Run started = run(remote, "run", "rb-002");
            String id = started.out().replaceAll("(?s)^Started (run-[0-9a-f]+).*", "$1");
            TestServer.awaitHttp(
                    () -> server.get("/api/v1/runs/" + id + "/steps/1/output")
                            .body()
                            .contains("line 1"),
                    "the first line");
            CliTest.Run follow = run(remote, "run", "status", id, "--follow");
            assertThat(follow.code()).as(follow.err()).isZero();
            assertThat(follow.out())
                    .startsWith("▶ count [shell]\n  │ line 1\n  │ line 2\n")
                    .contains("  │ line 5\n  succeeded in ")
                    .contains(" (target 10s): exit code 0\n▶ last [shell]\n  │ no newline\n")
                    .contains("Run " + id + " of rb-002: succeeded (all steps done)");
            assertThat(follow.out().split("line 3", -1)).hasSize(2); // once

            CliTest.Run failed = run(remote, "run", "rb-003", "--follow");
            assertThat(failed.code()).isEqualTo(Main.FAILED);
            assertThat(failed.out())
                    .contains("▶ boom [shell]\n  │ about to fail\n  failed in ")
                    .contains(" of rb-003: failed (step boom failed)");
        }
    }

    /**
     * What happened is in the record and told the same in the API, the CLI and the run page: who confirmed a step and
     * how long it waited (apart from its duration), a failed step the run went on after, a rollback that succeeded,
     * and no "met" for a step or a run that failed.
     */
    @Test
    void confirmationRollbackAndContinuedFailuresAreToldInTheApiTheCliAndThePage() throws Exception {
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                runbooks:
                  restore:
                    target: 1h
                    steps:
                      - { id: probe, type: shell, target: 1m, run: "exit 1", on_failure: continue }
                      - { id: restart, type: shell, target: 1m, confirm: true, run: "echo restarted" }
                      - { id: verify, type: shell, target: 1m, run: "exit 2" }
                    rollback:
                      - { id: undo, type: shell, run: "echo undone" }
                """.formatted(dir.resolve("data")));
        try (TestServer server = new TestServer(config)) {
            String[] remote = {"--server", server.url(), "--token", server.token};
            CliTest.Run started = run(remote, "run", "restore");
            assertThat(started.code()).as(started.err()).isZero();
            String id =
                    server.json("/api/v1/runs").path("runs").get(0).path("id").asText();
            TestServer.awaitHttp(
                    () -> server.json("/api/v1/runs/" + id)
                            .path("status")
                            .asText()
                            .equals("waiting_approval"),
                    "the confirmation");
            Thread.sleep(1_100);
            assertThat(run(remote, "run", "approve", id).code()).isZero();
            TestServer.awaitHttp(
                    () -> server.json("/api/v1/runs/" + id)
                            .path("status")
                            .asText()
                            .equals("failed"),
                    "the end");

            JsonNode api = server.json("/api/v1/runs/" + id);
            assertThat(api.path("rollback").asText()).isEqualTo("succeeded");
            assertThat(api.path("rolled_back").asBoolean()).isTrue();
            assertThat(api.path("status_text").asText()).isEqualTo("failed (rolled back)");
            JsonNode probe = api.path("steps").get(0);
            assertThat(probe.path("status").asText()).isEqualTo("failed");
            assertThat(probe.path("continued").asBoolean()).isTrue();
            assertThat(probe.path("status_text").asText()).isEqualTo("failed (continued)");
            assertThat(probe.path("met").asBoolean(true))
                    .as("a failed step never met its target")
                    .isFalse();
            JsonNode restart = api.path("steps").get(1);
            assertThat(restart.path("confirmed_by").asText()).isEqualTo("admin");
            assertThat(restart.path("wait_ms").asLong()).isGreaterThanOrEqualTo(1_000);
            assertThat(restart.path("duration_ms").asLong())
                    .isLessThan(restart.path("wait_ms").asLong());
            assertThat(restart.path("met").asBoolean()).isTrue();
            assertThat(api.path("metrics").path("steps").get(0).path("met").asBoolean(true))
                    .isFalse();
            assertThat(api.path("metrics").path("rto_met").asBoolean(true))
                    .as("a failed run never met its RTO")
                    .isFalse();

            CliTest.Run status = run(remote, "run", "status", id);
            assertThat(status.out())
                    .startsWith("Run " + id + " of restore: failed (rolled back) (step verify failed)\n")
                    .containsPattern("\\nprobe +failed \\(continued\\) +1m +\\S+ +no *\\n")
                    .containsPattern("\\nrestart +succeeded +1m +\\S+ +yes +confirmed by admin after \\d(\\.\\d)?s\\n")
                    .containsPattern("\\nverify +failed +1m +\\S+ +no *\\n")
                    .containsPattern("\\nTOTAL +failed \\(rolled back\\) +1h +\\S+ +no *\\n");

            HttpResponse<String> page = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(server.url() + "/runs/" + id))
                                    .header("Authorization", "Bearer " + server.token)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            String html = page.body();
            assertThat(html)
                    .contains(">failed (rolled back)</span>")
                    .contains(">failed (continued)</span>")
                    .contains("(confirmed by admin after 1");
            String probeRow = html.substring(html.indexOf("<tr data-seq=\"1\""), html.indexOf("<tr data-seq=\"2\""));
            assertThat(probeRow).contains("met met-no").doesNotContain("met-yes");
            assertThat(html.substring(html.indexOf("id=\"run-total\""))).contains("met met-no");
        }
    }

    private static CliTest.Run run(String[] remote, String... args) throws Exception {
        String[] all = new String[args.length + remote.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(remote, 0, all, args.length, remote.length);
        return CliTest.run(all);
    }
}
