package dev.opsdeck.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsdeck.runbook.steps.ShellStepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a shell step's process sees of the server's environment (real shells): PATH, HOME, LANG and TZ, what the
 * step or its runbook declares, and what {@code pass_env} names; and that every secret the configuration knows is
 * masked wherever a command prints it.
 */
class StepEnvironmentTest {
    /** What /bin/sh adds on its own; everything else a step sees must come from Opsdeck. */
    private static final Set<String> SHELL_OWN = Set.of("PWD", "OLDPWD", "SHLVL", "_");

    @TempDir
    Path dir;

    @Test
    void aStepSeesNothingOfTheServersEnvironmentBeyondPathHomeLangAndTz() throws Exception {
        String leak = System.getenv().keySet().stream()
                .filter(k -> !ShellStepType.BASE_ENV.contains(k)
                        && !SHELL_OWN.contains(k)
                        && k.matches("[A-Za-z_][A-Za-z0-9_]*"))
                .sorted()
                .findFirst()
                .orElse(null);
        assumeTrue(leak != null, "the test process has no variable beyond PATH, HOME, LANG and TZ");
        try (RunbookFixture f = new RunbookFixture(dir, """
                runbooks:
                  look:
                    steps:
                      - { id: env, type: shell, run: 'env', env: { GIVEN: "yes" } }
                """)) {
            Run run = f.await(f.runbooks.start("look", Map.of(), "alice", null).id());
            assertThat(run.status()).isEqualTo(Run.Status.SUCCEEDED);
            Set<String> seen = names(f.step(run.id(), "env").output());
            seen.removeAll(SHELL_OWN);
            Set<String> expected = new TreeSet<>(List.of("PATH", "GIVEN"));
            for (String name : List.of("HOME", "LANG", "TZ")) if (System.getenv(name) != null) expected.add(name);
            assertThat(seen)
                    .as("the step's environment (the test process has %s)", leak)
                    .isEqualTo(expected);
        }
    }

    @Test
    void aServerSecretIsInvisibleUnlessPassedAndMaskedWhereverTheConfigurationUsesIt() throws Exception {
        Map<String, String> server = new LinkedHashMap<>();
        server.put("PATH", System.getenv("PATH"));
        server.put("HOME", "/nonexistent-home");
        server.put("SERVER_ONLY", "s3rver-only-value");
        server.put("HOOK_TOKEN", "hook-token-8c1e55");
        server.put("DEPLOY_USER", "deployer");
        try (RunbookFixture f = new RunbookFixture(dir, """
                services:
                  api:
                    checks:
                      health:
                        type: http
                        url: http://127.0.0.1:9/health
                        headers: { Authorization: "Bearer ${env:HOOK_TOKEN}" }
                runbooks:
                  peek:
                    steps:
                      - { id: plain, type: shell, run: 'echo "server=${SERVER_ONLY:-unset} hook=${HOOK_TOKEN:-unset} home=$HOME"' }
                      - { id: passed, type: shell, pass_env: [HOOK_TOKEN], run: 'echo "hook=$HOOK_TOKEN"; echo "$HOOK_TOKEN" >&2; exit 3', expect_exit: [3] }
                  inherited:
                    env: { WHO: "{{params.who}}" }
                    pass_env: [DEPLOY_USER]
                    params: { who: { type: string, default: alice } }
                    steps:
                      - { id: both, type: shell, run: 'echo "$WHO as $DEPLOY_USER; server=${SERVER_ONLY:-unset}"' }
                      - { id: own, type: shell, env: { WHO: bob }, run: 'echo "$WHO as $DEPLOY_USER"' }
                """, server)) {
            Run run = f.await(f.runbooks.start("peek", Map.of(), "alice", null).id());
            assertThat(run.status()).isEqualTo(Run.Status.SUCCEEDED);
            assertThat(f.step(run.id(), "plain").output())
                    .isEqualTo("server=unset hook=unset home=/nonexistent-home\n");
            StepRun passed = f.step(run.id(), "passed");
            assertThat(passed.output()).isEqualTo("hook=***\n***\n");

            Run inherited = f.await(
                    f.runbooks.start("inherited", Map.of(), "alice", null).id());
            assertThat(f.step(inherited.id(), "both").output()).isEqualTo("alice as deployer; server=unset\n");
            assertThat(f.step(inherited.id(), "own").output()).isEqualTo("bob as deployer\n");
        }
    }

    @Test
    void everyReferencedSecretIsMaskedAlsoInsideLongerTextAndWhileTheStepRuns() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("channel-token"), "file-token-70a3d9\n");
        Path release = dir.resolve("release");
        Map<String, String> server = Map.of("PATH", System.getenv("PATH"), "SMTP_PASSWORD", "smtp-pass-41f0");
        try (RunbookFixture f = new RunbookFixture(dir, """
                channels:
                  mail:
                    type: email
                    to: [ops@example.com]
                    from: opsdeck@example.com
                    smtp: { host: 127.0.0.1, port: 2525, username: opsdeck, password: "x${env:SMTP_PASSWORD}y" }
                  hook:
                    type: webhook
                    url: "https://hooks.example.com/opsdeck?token=${file:%s}"
                runbooks:
                  print:
                    steps:
                      - id: slow
                        type: shell
                        timeout: 30s
                        run: 'echo "a smtp-pass-41f0 b"; cat "$1"; while [ ! -f "$2" ]; do sleep 0.05; done'
                        args: ["%s", "%s"]
                """.formatted(tokenFile, tokenFile, release), server)) {
            Run run = f.runbooks.start("print", Map.of(), "alice", null);
            String live = null;
            long end = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < end) {
                live = f.runbooks.liveOutput(run.id());
                if (live != null && live.lines().count() >= 2) break;
                Thread.sleep(20);
            }
            assertThat(live).as("the live output while the step runs").isEqualTo("a *** b\n***\n");
            Files.writeString(release, "go");
            Run done = f.await(run.id());
            assertThat(done.status()).isEqualTo(Run.Status.SUCCEEDED);
            assertThat(f.step(run.id(), "slow").output()).isEqualTo("a *** b\n***\n");
        }
    }

    private static Set<String> names(String envOutput) {
        Set<String> out = new TreeSet<>();
        Arrays.stream(envOutput.split("\n"))
                .filter(l -> l.contains("="))
                .forEach(l -> out.add(l.substring(0, l.indexOf('='))));
        return out;
    }
}
