package dev.opsdeck.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsdeck.runbook.ssh.PrivateSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssh} steps through the engine against a real OpenSSH server on 127.0.0.1, configured as a user would. */
class SshStepsTest {
    private static PrivateSshd sshd;
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        assumeTrue(PrivateSshd.available(), "needs /usr/sbin/sshd (Debian package openssh-server) and ssh-keygen");
        sshd = PrivateSshd.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (sshd != null) sshd.close();
    }

    /** A config with inventory host {@code db} (the private server, or {@code port}) and runbook {@code rb}. */
    private RunbookFixture fixture(int port, Path knownHosts, String steps) throws Exception {
        return new RunbookFixture(
                dir, """
                services: { api: { description: x } }
                inventory:
                  db:
                    host: 127.0.0.1
                    port: %d
                    user: %s
                    key: "${file:%s}"
                    known_hosts: %s
                runbooks:
                  rb:
                    params:
                      target: { type: string, required: true }
                      token: { type: string, secret: true, default: "s3cr3t-token-value" }
                    steps:
                %s""".formatted(port, USER, sshd.dir.resolve("client_ed25519"), knownHosts, steps.indent(6)));
    }

    private String label(int port) {
        return "db (" + USER + "@127.0.0.1:" + port + ")";
    }

    @Test
    void aRunbookWithAnSshStepRunsEndToEndWithDataOnlyParametersAndMaskedOutput() throws Exception {
        Path canary = sshd.dir.resolve("pwned-by-step");
        try (RunbookFixture f = fixture(sshd.port, sshd.knownHosts(), """
                - id: remote
                  type: ssh
                  host: db
                  run: 'printf "arg=<%s> env=<%s> token=%s\\n" "$1" "$TARGET" "$TOKEN"; echo warn >&2; echo "lag=42"'
                  args: ["{{params.target}}"]
                  env: { TARGET: "{{params.target}}", TOKEN: "{{params.token}}" }
                  extract: { lag: { regex: "lag=(\\\\d+)" } }
                - id: after
                  type: shell
                  run: 'test "$1" = 42'
                  args: ["{{steps.remote.lag}}"]
                """)) {
            String hostile = "x'; touch " + canary + "; echo '$(id)`id`";
            Run run = f.runbooks.start("rb", Map.of("target", hostile), "alice", null);
            Run done = f.await(run.id());
            StepRun remote = f.step(run.id(), "remote");
            assertThat(done.status()).as(remote.message()).isEqualTo(Run.Status.SUCCEEDED);
            assertThat(remote.status()).isEqualTo(StepRun.Status.SUCCEEDED);
            assertThat(remote.exitCode()).isZero();
            assertThat(remote.type()).isEqualTo("ssh");
            assertThat(remote.output())
                    .contains("arg=<" + hostile + "> env=<" + hostile + "> token=***\n")
                    .contains("warn\n")
                    .contains("lag=42\n")
                    .doesNotContain("s3cr3t-token-value");
            assertThat(remote.extracted()).containsEntry("lag", "42");
            assertThat(f.step(run.id(), "after").status()).isEqualTo(StepRun.Status.SUCCEEDED);
            assertThat(canary).doesNotExist();
        }
    }

    @Test
    void anExitCodeNotExpectedFailsTheStepWithTheCode() throws Exception {
        try (RunbookFixture f = fixture(sshd.port, sshd.knownHosts(), """
                - { id: remote, type: ssh, host: db, run: "echo about to fail; exit 3" }
                """)) {
            Run run = f.runbooks.start("rb", Map.of("target", "t"), "alice", null);
            assertThat(f.await(run.id()).status()).isEqualTo(Run.Status.FAILED);
            StepRun s = f.step(run.id(), "remote");
            assertThat(s.exitCode()).isEqualTo(3);
            assertThat(s.message()).isEqualTo("exit code 3, expected 0");
            assertThat(s.output()).isEqualTo("about to fail\n");
        }
    }

    @Test
    void anUnreachableHostFailsTheStepNamingTheHost() throws Exception {
        int closed = PrivateSshd.freePort();
        try (RunbookFixture f = fixture(closed, sshd.knownHosts(), """
                - { id: remote, type: ssh, host: db, run: "true" }
                """)) {
            Run run = f.runbooks.start("rb", Map.of("target", "t"), "alice", null);
            assertThat(f.await(run.id()).status()).isEqualTo(Run.Status.FAILED);
            assertThat(f.step(run.id(), "remote").message())
                    .isEqualTo(
                            "ssh " + label(closed) + ": connection refused (nothing listens on port " + closed + ")");
        }
    }

    @Test
    void aWrongHostKeyFailsTheStepNamingTheHostAndTheFingerprint() throws Exception {
        PrivateSshd.keygen(dir.resolve("other_host"), "ed25519");
        String[] other = Files.readString(dir.resolve("other_host.pub")).trim().split(" ");
        Path changed = Files.writeString(
                dir.resolve("known_hosts"), "[127.0.0.1]:" + sshd.port + " " + other[0] + " " + other[1] + "\n");
        String fp = PrivateSshd.fingerprint(sshd.dir.resolve("host_ed25519.pub"));
        try (RunbookFixture f = fixture(sshd.port, changed, """
                - { id: remote, type: ssh, host: db, run: "touch should-not-run" }
                """)) {
            Run run = f.runbooks.start("rb", Map.of("target", "t"), "alice", null);
            assertThat(f.await(run.id()).status()).isEqualTo(Run.Status.FAILED);
            assertThat(f.step(run.id(), "remote").message())
                    .isEqualTo("ssh " + label(sshd.port)
                            + ": HOST KEY CHANGED: the host presented ssh-ed25519 key " + fp + ", which known_hosts "
                            + changed
                            + " does not list for it; refusing to connect (someone may be intercepting the connection, or the"
                            + " host was reinstalled)");
        }
    }

    @Test
    void anUnknownHostKeyFailsTheStepNamingTheFingerprint() throws Exception {
        Path empty = Files.writeString(dir.resolve("known_hosts"), "# nothing known yet\n");
        String fp = PrivateSshd.fingerprint(sshd.dir.resolve("host_ed25519.pub"));
        try (RunbookFixture f = fixture(sshd.port, empty, """
                - { id: remote, type: ssh, host: db, run: "true" }
                """)) {
            Run run = f.runbooks.start("rb", Map.of("target", "t"), "alice", null);
            assertThat(f.await(run.id()).status()).isEqualTo(Run.Status.FAILED);
            assertThat(f.step(run.id(), "remote").message())
                    .isEqualTo("ssh " + label(sshd.port)
                            + ": host key not in known_hosts " + empty + "; the host presented ssh-ed25519 key " + fp
                            + " (verify it out of band, then add it with ssh-keyscan)");
        }
    }

    @Test
    void aRemoteCommandThatNeverExitsIsKilledAtTheStepTimeout() throws Exception {
        Path pids = dir.resolve("pids");
        try (RunbookFixture f = fixture(sshd.port, sshd.knownHosts(), """
                - id: remote
                  type: ssh
                  host: db
                  timeout: 10s
                  run: 'sleep 300 & echo $! > "$1"; echo $$ >> "$1"; echo started; sleep 301'
                  args: ["%s"]
                """.formatted(pids))) {
            Run run = f.runbooks.start("rb", Map.of("target", "t"), "alice", null);
            assertThat(f.await(run.id()).status()).isEqualTo(Run.Status.FAILED);
            StepRun s = f.step(run.id(), "remote");
            assertThat(s.message())
                    .isEqualTo("timed out after 10s on " + label(sshd.port)
                            + " (the remote command was killed with its process group)");
            assertThat(s.exitCode()).isNull();
            assertThat(s.output()).isEqualTo("started\n");
            assertGone(Files.readAllLines(pids));
        }
    }

    @Test
    void cancellingARunKillsTheRemoteCommand() throws Exception {
        Path pids = dir.resolve("pids");
        try (RunbookFixture f = fixture(sshd.port, sshd.knownHosts(), """
                - id: remote
                  type: ssh
                  host: db
                  run: 'echo $$ > "$1"; echo started; sleep 300'
                  args: ["%s"]
                """.formatted(pids))) {
            Run run = f.runbooks.start("rb", Map.of("target", "t"), "alice", null);
            long end = System.currentTimeMillis() + 20_000;
            while (!(Files.exists(pids) && !Files.readString(pids).isBlank()) && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            f.runbooks.cancel(run.id(), "alice");
            assertThat(f.await(run.id()).status()).isEqualTo(Run.Status.CANCELLED);
            assertThat(f.step(run.id(), "remote").status()).isEqualTo(StepRun.Status.CANCELLED);
            assertGone(Files.readAllLines(pids));
        }
    }

    private static void assertGone(List<String> started) throws InterruptedException {
        assertThat(started).isNotEmpty();
        List<String> alive = new ArrayList<>(started);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!alive.isEmpty() && System.currentTimeMillis() < deadline) {
            alive.removeIf(pid -> !Files.exists(Path.of("/proc", pid.trim())));
            Thread.sleep(100);
        }
        assertThat(alive).as("remote processes still running").isEmpty();
    }
}
