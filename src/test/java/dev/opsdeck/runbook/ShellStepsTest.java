package dev.opsdeck.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsdeck.auth.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shell steps run as real processes: parameters stay data, timeouts kill the tree, output is masked and capped. */
class ShellStepsTest {
    @TempDir
    Path dir;

    private RunbookFixture fixture(String runbooks) throws Exception {
        return new RunbookFixture(dir, "services: { api: { description: x } }\nrunbooks:\n" + runbooks);
    }

    @Test
    void hostileParametersReachTheCommandAsDataOnly() throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        try (RunbookFixture f = fixture("""
                  echo:
                    params: { v: { type: string, required: true } }
                    steps:
                      - id: write
                        type: shell
                        run: 'printf "%%s" "$V" > env.txt; printf "%%s" "$1" > arg.txt'
                        env: { V: "{{params.v}}" }
                        args: ["{{params.v}}"]
                        workdir: %s
                """.formatted(out))) {
            String[] hostile = {
                "; rm -rf ./victim",
                "$(touch pwned)",
                "`touch pwned2`",
                "a\nb; touch pwned3",
                "it's \"quoted\" \\ $HOME"
            };
            Files.writeString(out.resolve("victim"), "still here");
            for (String value : hostile) {
                Run run = f.runbooks.start("echo", Map.of("v", value), "alice", null);
                assertThat(f.await(run.id()).status()).isEqualTo(Run.Status.SUCCEEDED);
                assertThat(Files.readString(out.resolve("env.txt"))).isEqualTo(value);
                assertThat(Files.readString(out.resolve("arg.txt"))).isEqualTo(value);
            }
            assertThat(out.resolve("victim")).hasContent("still here");
            assertThat(out.resolve("pwned")).doesNotExist();
            assertThat(out.resolve("pwned2")).doesNotExist();
            assertThat(out.resolve("pwned3")).doesNotExist();
        }
    }

    @Test
    void badParametersAreRefusedBeforeAnythingRuns() throws Exception {
        try (RunbookFixture f = fixture("""
                  rb:
                    params:
                      start: { type: string, required: true, pattern: "^[0-9T:-]+$" }
                      env: { type: string, default: prod, allowed: [prod, staging] }
                      n: { type: integer }
                    steps: [{ id: s, type: shell, run: "true" }]
                """)) {
            assertThatThrownBy(() -> f.runbooks.start("rb", Map.of(), "alice", null))
                    .isInstanceOf(RunRefused.class)
                    .hasMessage("parameter 'start' is required");
            assertThatThrownBy(() -> f.runbooks.start("rb", Map.of("start", "2025; rm -rf /"), "alice", null))
                    .hasMessage("parameter 'start': \"2025; rm -rf /\" does not match ^[0-9T:-]+$");
            assertThatThrownBy(() -> f.runbooks.start("rb", Map.of("start", "2025", "env", "dev"), "alice", null))
                    .hasMessage("parameter 'env': \"dev\" is not one of prod, staging");
            assertThatThrownBy(() -> f.runbooks.start("rb", Map.of("start", "2025", "n", "x1"), "alice", null))
                    .hasMessage("parameter 'n': \"x1\" is not a whole number");
            assertThatThrownBy(() -> f.runbooks.start("rb", Map.of("start", "2025", "other", "1"), "alice", null))
                    .hasMessage("runbook rb has no parameter 'other' (parameters: env, n, start)");
            assertThat(f.runbooks.runs("rb", 10)).isEmpty();
        }
    }

    @Test
    void aStepThatNeverExitsIsKilledAtItsTimeoutWithItsChildren() throws Exception {
        Path pid = dir.resolve("child.pid");
        try (RunbookFixture f = fixture("""
                  hang:
                    steps:
                      - { id: hang, type: shell, timeout: 1s, run: 'sleep 300 & echo $! > %s; wait' }
                """.formatted(pid))) {
            long start = System.nanoTime();
            Run run = f.await(f.runbooks.start("hang", Map.of(), "alice", null).id());
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
            assertThat(run.status()).isEqualTo(Run.Status.FAILED);
            assertThat(f.step(run.id(), "hang").message())
                    .isEqualTo("timed out after 1s (killed with its child processes)");
            long child = Long.parseLong(Files.readString(pid).strip());
            Thread.sleep(200);
            assertThat(running(child)).as("child %s", child).isFalse();
        }
    }

    @Test
    void aTimeoutKillsTheStepsWholeProcessGroupEvenAJobWhoseParentHasExited() throws Exception {
        Path orphan = dir.resolve("orphan.pid");
        Path background = dir.resolve("background.pid");
        try (RunbookFixture f = fixture("""
                  hang:
                    steps:
                      - id: hang
                        type: shell
                        timeout: 1s
                        run: 'sh -c "sleep 300 & echo \\$! > %s"; sleep 300 & echo $! > %s; sleep 300'
                """.formatted(orphan, background))) {
            Run run = f.await(f.runbooks.start("hang", Map.of(), "alice", null).id());
            assertThat(run.status()).isEqualTo(Run.Status.FAILED);
            assertThat(f.step(run.id(), "hang").message())
                    .isEqualTo("timed out after 1s (killed with its child processes)");
            assertGone(orphan, background);
        }
    }

    @Test
    void aStoppingServerInterruptsTheRunKillsItsProcessGroupAndTheRunResumes() throws Exception {
        Path count = dir.resolve("count");
        Path orphan = dir.resolve("orphan.pid");
        Path background = dir.resolve("background.pid");
        Path release = dir.resolve("release");
        try (RunbookFixture f = fixture("""
                  hang:
                    steps:
                      - { id: first, type: shell, run: 'echo x >> %s' }
                      - id: hang
                        type: shell
                        timeout: 2m
                        run: 'if [ -f %s ]; then echo released; exit 0; fi; sh -c "sleep 300 & echo \\$! > %s"; sleep 300 & echo $! > %s; sleep 300'
                    rollback:
                      - { id: undo, type: shell, run: 'echo undone' }
                """.formatted(count, release, orphan, background))) {
            Run run = f.runbooks.start("hang", Map.of(), "alice", null);
            waitFor(background);
            long start = System.nanoTime();
            f.runbooks.close();
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms to stop").isLessThan(5_000);
            Run stopped = f.runbooks.find(run.id()).orElseThrow();
            assertThat(stopped.status()).isEqualTo(Run.Status.INTERRUPTED);
            assertThat(stopped.message())
                    .isEqualTo("the server stopped during step hang; resume it from that step or from the start");
            assertThat(f.step(run.id(), "hang").status()).isEqualTo(StepRun.Status.INTERRUPTED);
            assertThat(f.step(run.id(), "hang").message()).isEqualTo("the server stopped while this step ran");
            assertThat(f.runbooks.steps(run.id()).stream().map(StepRun::stepId))
                    .as("no rollback")
                    .containsExactly("first", "hang");
            assertGone(orphan, background);

            Files.writeString(release, "go");
            f.runbooks.resume(run.id(), false, Map.of(), "alice");
            assertThat(f.await(run.id()).status()).isEqualTo(Run.Status.SUCCEEDED);
            assertThat(Files.readAllLines(count))
                    .as("the step before the stop ran once")
                    .hasSize(1);
        }
    }

    private static void waitFor(Path file) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (!Files.exists(file) && System.currentTimeMillis() < end) Thread.sleep(20);
        assertThat(file).exists();
        Thread.sleep(100); // the pid is written
    }

    private static void assertGone(Path... pidFiles) throws Exception {
        for (Path pidFile : pidFiles) {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            long end = System.currentTimeMillis() + 2_000;
            while (running(pid) && System.currentTimeMillis() < end) Thread.sleep(20);
            assertThat(running(pid))
                    .as("process %s from %s", pid, pidFile.getFileName())
                    .isFalse();
        }
    }

    /** Alive and not a zombie (a killed orphan waits for PID 1 to reap it, which a container may never do). */
    static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        if (!Files.exists(stat)) return false;
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    }

    @Test
    void valuesFlowToLaterStepsAndWhenSkips() throws Exception {
        try (RunbookFixture f = fixture("""
                  flow:
                    steps:
                      - id: probe
                        type: shell
                        run: 'echo "lag=42"; echo "{\\"version\\": \\"16.2\\"}" >&2; exit 3'
                        expect_exit: [0, 3]
                        extract: { lag: { regex: "lag=(\\\\d+)" } }
                      - id: json
                        type: shell
                        run: 'echo "{\\"a\\": {\\"version\\": \\"16.2\\"}}"'
                        extract: { version: { json: "$.a.version" } }
                      - id: use
                        type: shell
                        run: 'echo "got $LAG and $VERSION"'
                        env: { LAG: "{{steps.probe.lag}}", VERSION: "{{steps.json.version}}" }
                        when: "[steps.probe.exit_code] == 3"
                      - id: skipped
                        type: shell
                        run: 'echo never'
                        when: "[steps.probe.lag] > 100"
                """)) {
            Run run = f.await(f.runbooks.start("flow", Map.of(), "alice", null).id());
            assertThat(run.status()).isEqualTo(Run.Status.SUCCEEDED);
            assertThat(f.step(run.id(), "probe").exitCode()).isEqualTo(3);
            assertThat(f.step(run.id(), "probe").extracted()).containsEntry("lag", "42");
            assertThat(f.step(run.id(), "use").output()).isEqualTo("got 42 and 16.2\n");
            assertThat(f.step(run.id(), "skipped").status()).isEqualTo(StepRun.Status.SKIPPED);
            assertThat(f.step(run.id(), "skipped").message())
                    .isEqualTo(
                            "skipped: when [steps.probe.lag] > 100 does not hold ([steps.probe.lag]: expected > 100, got 42)");
        }
    }

    @Test
    void secretsAreMaskedInOutputParametersAndMessages() throws Exception {
        try (RunbookFixture f = fixture("""
                  secret:
                    params: { admin_key: { type: string, secret: true, required: true } }
                    steps:
                      - id: leak
                        type: shell
                        run: 'echo "key is $KEY and token is $TOKEN"; exit 1'
                        env: { KEY: "{{params.admin_key}}", TOKEN: "${env:DEPLOY_TOKEN}" }
                """)) {
            Run run = f.await(f.runbooks
                    .start("secret", Map.of("admin_key", "hunter2-admin"), "alice", null)
                    .id());
            assertThat(run.params()).containsEntry("admin_key", "***");
            StepRun leak = f.step(run.id(), "leak");
            assertThat(leak.output()).isEqualTo("key is *** and token is ***\n");
            assertThat(f.runbooks
                            .plan("secret", Map.of("admin_key", "hunter2-admin"))
                            .params())
                    .containsEntry("admin_key", "***");
        }
    }

    @Test
    void enormousOutputIsTruncatedWithAMarker() throws Exception {
        try (RunbookFixture f = fixture("""
                  big:
                    steps:
                      - { id: flood, type: shell, max_output: 1KB, run: 'head -c 50000000 /dev/zero | tr "\\\\0" x' }
                """)) {
            Run run = f.await(f.runbooks.start("big", Map.of(), "alice", null).id());
            assertThat(run.status()).isEqualTo(Run.Status.SUCCEEDED);
            String out = f.step(run.id(), "flood").output();
            assertThat(out)
                    .startsWith("x".repeat(1000))
                    .endsWith("[output truncated: 49999000 more characters not kept]");
            assertThat(out.length()).isLessThan(1200);
        }
    }

    @Test
    void retriesOnFailureAndRollback() throws Exception {
        Path counter = dir.resolve("count");
        try (RunbookFixture f = fixture("""
                  flaky:
                    steps:
                      - id: third-time
                        type: shell
                        run: 'n=$(cat %1$s 2>/dev/null || echo 0); n=$((n+1)); echo $n > %1$s; [ $n -ge 3 ]'
                        retries: { attempts: 3, backoff: 10ms }
                      - { id: soft, type: shell, run: "exit 1", on_failure: continue }
                      - { id: hard, type: shell, run: "exit 2", on_failure: { goto: cleanup } }
                      - { id: jumped-over, type: shell, run: "true" }
                      - { id: cleanup, type: shell, run: "exit 5" }
                      - { id: never, type: shell, run: "true" }
                    rollback:
                      - { id: undo, type: shell, run: "echo rolled back" }
                """.formatted(counter))) {
            Run run = f.await(f.runbooks.start("flaky", Map.of(), "alice", null).id());
            assertThat(run.status()).isEqualTo(Run.Status.FAILED);
            assertThat(run.message()).isEqualTo("step cleanup failed");
            assertThat(f.step(run.id(), "third-time").status()).isEqualTo(StepRun.Status.SUCCEEDED);
            assertThat(f.step(run.id(), "third-time").attempts()).isEqualTo(3);
            assertThat(f.step(run.id(), "soft").status()).isEqualTo(StepRun.Status.FAILED);
            assertThat(f.runbooks.steps(run.id()).stream().map(StepRun::stepId))
                    .containsExactly("third-time", "soft", "hard", "cleanup", "undo");
            assertThat(f.step(run.id(), "undo").phase()).isEqualTo("rollback");
            assertThat(f.step(run.id(), "undo").output()).isEqualTo("rolled back\n");
            assertThat(f.step(run.id(), "hard").message()).isEqualTo("exit code 2, expected 0");
            assertThat(run.rollback()).isEqualTo(Run.Rollback.SUCCEEDED);
            assertThat(run.statusText()).isEqualTo("failed (rolled back)");
            assertThat(run.view()).containsEntry("rolled_back", true).containsEntry("rollback", "succeeded");
            assertThat(f.step(run.id(), "soft").statusText()).isEqualTo("failed (continued)");
            assertThat(f.step(run.id(), "hard").statusText())
                    .as("a goto goes on too")
                    .isEqualTo("failed (continued)");
            assertThat(f.step(run.id(), "cleanup").statusText()).isEqualTo("failed");
            assertThat(f.step(run.id(), "cleanup").continued()).isFalse();
        }
    }

    @Test
    void aFailedRollbackIsToldAndAFailedOrSkippedStepNeverMetItsTarget() throws Exception {
        try (RunbookFixture f = fixture("""
                  broken:
                    target: 1h
                    steps:
                      - { id: quick-fail, type: shell, target: 1m, run: "exit 1", on_failure: continue }
                      - { id: skipped, type: shell, target: 1m, run: "true", when: "[steps.quick-fail.exit_code] == 0" }
                      - { id: quick-ok, type: shell, target: 1m, run: "true" }
                      - { id: break, type: shell, run: "exit 2" }
                    rollback:
                      - { id: undo, type: shell, run: "exit 3" }
                      - { id: undo-more, type: shell, run: "echo more" }
                """)) {
            Run run =
                    f.await(f.runbooks.start("broken", Map.of(), "alice", null).id());
            assertThat(run.status()).isEqualTo(Run.Status.FAILED);
            assertThat(run.rollback()).as("each rollback step ran, one failed").isEqualTo(Run.Rollback.FAILED);
            assertThat(run.statusText()).isEqualTo("failed (rollback failed)");
            assertThat(run.view()).containsEntry("rolled_back", false);
            assertThat(run.rtoMet())
                    .as("a failed run did not meet its RTO, however quick")
                    .isFalse();
            assertThat(f.step(run.id(), "quick-fail").met()).isFalse();
            assertThat(f.step(run.id(), "skipped").met()).isNull();
            assertThat(f.step(run.id(), "quick-ok").met()).isTrue();
            assertThat(f.step(run.id(), "undo-more").status()).isEqualTo(StepRun.Status.SUCCEEDED);
        }
    }

    @Test
    void whoConfirmedAStepAndHowLongItWaitedAreRecordedApartFromItsDuration() throws Exception {
        try (RunbookFixture f = fixture("""
                  careful:
                    steps:
                      - { id: restart, type: shell, confirm: true, run: "echo restarted" }
                      - { id: drop, type: shell, confirm: true, run: "echo dropped" }
                """)) {
            Run run = f.runbooks.start("careful", Map.of(), "alice", null);
            f.await(run.id(), Run.Status.WAITING_APPROVAL);
            Thread.sleep(400);
            f.runbooks.approve(run.id(), new Runbooks.Actor("bob", Role.OPERATOR), true, "checked");
            long end = System.currentTimeMillis() + 10_000;
            while (!"drop".equals(f.runbooks.find(run.id()).orElseThrow().currentStep())
                    && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            f.await(run.id(), Run.Status.WAITING_APPROVAL);
            Thread.sleep(200);
            f.runbooks.approve(run.id(), new Runbooks.Actor("carol", Role.OPERATOR), false, "not now");
            Run done = f.await(run.id());
            assertThat(done.status()).isEqualTo(Run.Status.FAILED);

            StepRun restart = f.step(run.id(), "restart");
            assertThat(restart.status()).isEqualTo(StepRun.Status.SUCCEEDED);
            assertThat(restart.decidedBy()).isEqualTo("bob");
            assertThat(restart.confirmedBy()).isEqualTo("bob");
            assertThat(restart.waitMs()).isGreaterThanOrEqualTo(400);
            assertThat(restart.durationMs())
                    .as("the step's own time, without the wait")
                    .isLessThan(restart.waitMs());
            assertThat(restart.view()).containsEntry("confirmed_by", "bob").containsEntry("wait_ms", restart.waitMs());

            StepRun drop = f.step(run.id(), "drop");
            assertThat(drop.status()).isEqualTo(StepRun.Status.FAILED);
            assertThat(drop.message()).isEqualTo("rejected by carol: not now");
            assertThat(drop.decidedBy()).isEqualTo("carol");
            assertThat(drop.confirmedBy()).as("refused, not confirmed").isNull();
            assertThat(drop.waitMs()).isGreaterThanOrEqualTo(200);
        }
    }
}
