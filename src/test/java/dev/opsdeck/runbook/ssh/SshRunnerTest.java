package dev.opsdeck.runbook.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SSH steps against a real OpenSSH server on 127.0.0.1. */
class SshRunnerTest {
    private static PrivateSshd sshd;
    private final SshRunner runner = new SshRunner(Duration.ofSeconds(5));

    @BeforeAll
    static void startServer() throws Exception {
        assumeTrue(PrivateSshd.available(), "needs /usr/sbin/sshd (Debian package openssh-server) and ssh-keygen");
        sshd = PrivateSshd.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (sshd != null) sshd.close();
    }

    private SshOutcome run(SshHost host, String script, List<String> args, Map<String, String> env) throws Exception {
        return runner.run(host, script, args, env, Duration.ofSeconds(20), 64 * 1024, null);
    }

    @Test
    void runsTheScriptAndReportsExitCodeAndBothStreams() throws Exception {
        List<OutputLine> live = Collections.synchronizedList(new ArrayList<>());
        SshOutcome o = runner.run(
                sshd.host(),
                "echo hello; echo \"from $1\"; echo oops >&2; exit 3",
                List.of("opsdeck"),
                Map.of(),
                Duration.ofSeconds(20),
                4096,
                live::add);
        assertThat(o.exitCode()).isEqualTo(3);
        assertThat(o.timedOut()).isFalse();
        assertThat(o.stdout()).isEqualTo("hello\nfrom opsdeck\n");
        assertThat(o.stderr()).isEqualTo("oops\n");
        assertThat(o.stdoutTruncated()).isFalse();
        assertThat(o.describe()).isEqualTo("exit code 3");
        assertThat(live)
                .contains(
                        new OutputLine(false, "hello"),
                        new OutputLine(false, "from opsdeck"),
                        new OutputLine(true, "oops"));
    }

    @Test
    void hostileArgumentsAndEnvironmentArriveVerbatimAsData() throws Exception {
        Path canary = sshd.dir.resolve("pwned");
        List<String> hostile = List.of(
                "; rm -rf " + canary + "; touch " + canary,
                "$(touch " + canary + ")",
                "`touch " + canary + "`",
                "line one\nline two; touch " + canary,
                "it's \"quoted\" 'twice' \\ and $HOME",
                "",
                "--help");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ADMIN_KEY", "k'; touch " + canary + "; echo '");
        env.put("START", "$(touch " + canary + ")\n`id`");
        SshOutcome o = run(
                sshd.host(),
                "printf '%s\\n' \"$#\"; for a in \"$@\"; do printf '<%s>\\n' \"$a\"; done;"
                        + " printf '[%s]\\n' \"$ADMIN_KEY\" \"$START\"",
                hostile,
                env);
        assertThat(o.exitCode()).isZero();
        StringBuilder expected = new StringBuilder(hostile.size() + "\n");
        for (String a : hostile) expected.append('<').append(a).append(">\n");
        expected.append('[')
                .append(env.get("ADMIN_KEY"))
                .append("]\n[")
                .append(env.get("START"))
                .append("]\n");
        assertThat(o.stdout()).isEqualTo(expected.toString());
        assertThat(canary).doesNotExist();
    }

    @Test
    void aCommandThatNeverExitsIsKilledWithItsChildrenAtTheTimeout() throws Exception {
        Path pids = sshd.dir.resolve("pids");
        String script = "sleep 300 & echo $! > " + pids + "; echo $$ >> " + pids + "; echo started; sleep 301";
        SshOutcome o = runner.run(sshd.host(), script, List.of(), Map.of(), Duration.ofSeconds(5), 4096, null);
        assertThat(o.timedOut()).isTrue();
        assertThat(o.exitCode()).isNull();
        assertThat(o.stdout()).isEqualTo("started\n");
        assertThat(o.describe()).startsWith("killed at its timeout after ");
        List<String> started = Files.readAllLines(pids);
        assertThat(started).hasSize(2);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> alive = new ArrayList<>(started);
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            alive.removeIf(pid -> !Files.exists(Path.of("/proc", pid.trim())));
            Thread.sleep(100);
        }
        assertThat(alive).as("remote processes still running after the timeout").isEmpty();
    }

    @Test
    void outputOverTheCapIsTruncatedWithAMarker() throws Exception {
        List<OutputLine> live = Collections.synchronizedList(new ArrayList<>());
        SshOutcome o = runner.run(
                sshd.host(),
                "yes line | head -n 5000; echo small >&2",
                List.of(),
                Map.of(),
                Duration.ofSeconds(20),
                1000,
                live::add);
        assertThat(o.exitCode()).isZero();
        assertThat(o.stdoutTruncated()).isTrue();
        assertThat(o.stdout()).isEqualTo("line\n".repeat(200) + "[output truncated: 24000 more bytes not kept]");
        // the live view stops at the cap too
        assertThat(live).filteredOn(l -> !l.stderr()).hasSize(200);
        assertThat(o.stderrTruncated()).isFalse();
        assertThat(o.stderr()).isEqualTo("small\n");
    }

    @Test
    void anUnknownHostKeyIsRefusedNamingTheHostAndTheKeyFingerprint() throws Exception {
        Path empty = sshd.dir.resolve("known_hosts_empty");
        Files.writeString(empty, "# nothing known yet\n");
        SshHost host = withKnownHosts(sshd.host(), empty);
        String fp = PrivateSshd.fingerprint(sshd.dir.resolve("host_ed25519.pub"));
        assertThatThrownBy(() -> run(host, "true", List.of(), Map.of()))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.HOST_KEY_UNKNOWN))
                .hasMessage(
                        "ssh db-primary (" + host.user() + "@127.0.0.1:" + sshd.port + "): host key not in known_hosts "
                                + empty + "; the host presented ssh-ed25519 key " + fp
                                + " (verify it out of band, then add it with ssh-keyscan)");
    }

    @Test
    void aHashedKnownHostsEntryIsAccepted() throws Exception {
        Path hashed = sshd.dir.resolve("known_hosts_hashed");
        Files.copy(sshd.knownHosts(), hashed, StandardCopyOption.REPLACE_EXISTING);
        PrivateSshd.run("ssh-keygen", "-H", "-f", hashed.toString());
        assertThat(Files.readString(hashed)).startsWith("|1|").doesNotContain("127.0.0.1");
        SshOutcome o = run(withKnownHosts(sshd.host(), hashed), "echo ok", List.of(), Map.of());
        assertThat(o.stdout()).isEqualTo("ok\n");
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        PrivateSshd.keygen(sshd.dir.resolve("other_host"), "ed25519");
        String[] other =
                Files.readString(sshd.dir.resolve("other_host.pub")).trim().split(" ");
        Path changed = sshd.dir.resolve("known_hosts_changed");
        Files.writeString(changed, "[127.0.0.1]:" + sshd.port + " " + other[0] + " " + other[1] + "\n");
        SshHost host = withKnownHosts(sshd.host(), changed);
        String fp = PrivateSshd.fingerprint(sshd.dir.resolve("host_ed25519.pub"));
        assertThatThrownBy(() -> run(host, "true", List.of(), Map.of()))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.HOST_KEY_CHANGED))
                .hasMessage("ssh db-primary (" + host.user() + "@127.0.0.1:" + sshd.port
                        + "): HOST KEY CHANGED: the host presented"
                        + " ssh-ed25519 key " + fp + ", which known_hosts " + changed
                        + " does not list for it; refusing to connect"
                        + " (someone may be intercepting the connection, or the host was reinstalled)");
    }

    @Test
    void aKeyTheServerDoesNotAcceptFailsAuthentication() throws Exception {
        PrivateSshd.keygen(sshd.dir.resolve("stranger"), "ed25519");
        SshHost base = sshd.host();
        SshHost host = new SshHost(
                base.name(),
                base.host(),
                base.port(),
                base.user(),
                Files.readString(sshd.dir.resolve("stranger")),
                base.knownHosts());
        assertThatThrownBy(() -> run(host, "true", List.of(), Map.of()))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.AUTH_FAILED))
                .hasMessage("ssh " + host.label() + ": authentication failed: the server refused user " + host.user()
                        + " with the given key");
    }

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        SshHost base = sshd.host();
        int closed = PrivateSshd.freePort();
        SshHost host =
                new SshHost("db-replica", "127.0.0.1", closed, base.user(), base.privateKey(), base.knownHosts());
        assertThatThrownBy(() -> run(host, "true", List.of(), Map.of()))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.CONNECTION_REFUSED))
                .hasMessage("ssh db-replica (" + base.user() + "@127.0.0.1:" + closed
                        + "): connection refused (nothing listens on port " + closed + ")");
    }

    @Test
    void aPortThatAcceptsButNeverSpeaksSshTimesOutAsUnreachable() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            SshHost base = sshd.host();
            SshHost host = new SshHost(
                    "hung", "127.0.0.1", silent.getLocalPort(), "ops", base.privateKey(), base.knownHosts());
            long started = System.nanoTime();
            assertThatThrownBy(() -> new SshRunner(Duration.ofSeconds(1))
                            .run(host, "true", List.of(), Map.of(), Duration.ofSeconds(5), 1024, null))
                    .isInstanceOfSatisfying(
                            SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.UNREACHABLE))
                    .hasMessage("ssh hung (ops@127.0.0.1:" + silent.getLocalPort()
                            + "): no SSH handshake within 1s (the port"
                            + " accepts connections but no SSH server answers)");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aNameThatDoesNotResolveIsReported() throws Exception {
        SshHost base = sshd.host();
        SshHost host = new SshHost("gone", "no-such-host.invalid", 22, "ops", base.privateKey(), base.knownHosts());
        assertThatThrownBy(() -> run(host, "true", List.of(), Map.of()))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.UNKNOWN_HOST))
                .hasMessage("ssh gone (ops@no-such-host.invalid:22): host name no-such-host.invalid does not resolve");
    }

    @Test
    void aPrivateKeyThatCannotBeReadIsRefusedBeforeConnecting() throws Exception {
        SshHost base = sshd.host();
        SshHost host = new SshHost(base.name(), base.host(), base.port(), base.user(), "not a key", base.knownHosts());
        assertThatThrownBy(() -> run(host, "true", List.of(), Map.of()))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.BAD_KEY))
                .hasMessageStartingWith("ssh " + host.label() + ": the private key ");
    }

    @Test
    void aMissingKnownHostsFileIsRefusedBeforeConnecting() throws Exception {
        Path missing = sshd.dir.resolve("no_such_known_hosts");
        SshHost host = withKnownHosts(sshd.host(), missing);
        assertThatThrownBy(() -> run(host, "true", List.of(), Map.of()))
                .isInstanceOfSatisfying(
                        SshException.class, e -> assertThat(e.kind()).isEqualTo(SshException.Kind.KNOWN_HOSTS))
                .hasMessage("ssh " + host.label() + ": known_hosts file " + missing
                        + " does not exist (add the host's key with:" + " ssh-keyscan -p " + sshd.port
                        + " 127.0.0.1 >> " + missing + ", then compare its fingerprint)");
    }

    @Test
    void theHostToStringNeverShowsThePrivateKey() throws Exception {
        SshHost host = sshd.host();
        assertThat(host.toString()).doesNotContain("PRIVATE KEY").contains("db-primary");
    }

    private static SshHost withKnownHosts(SshHost h, Path knownHosts) {
        return new SshHost(h.name(), h.host(), h.port(), h.user(), h.privateKey(), knownHosts);
    }
}
