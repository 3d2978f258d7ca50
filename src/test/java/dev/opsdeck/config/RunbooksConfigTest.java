package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.runbook.steps.ShellStepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runbook definitions are validated with the rest of the config: every problem at its line and column. */
class RunbooksConfigTest {
    @TempDir
    Path dir;

    private List<String> problems(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
        List<Problem> problems = List.of();
        try {
            compile(file).close();
        } catch (ConfigException e) {
            problems = e.problems();
        }
        return problems.stream()
                .map(p -> p.position().line() + ":" + p.position().column() + ": " + p.message()
                        + (p.hint() == null ? "" : " (" + p.hint() + ")"))
                .toList();
    }

    @Test
    void aValidRunbookLoadsWithEveryStepType() throws IOException, ConfigException {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), """
                services:
                  postgres: { checks: { ready: { type: tcp, host: 127.0.0.1, port: 5432 } } }
                channels: { ops: { type: webhook, url: "http://127.0.0.1:9/hook" } }
                inventory: { db: { host: 10.0.0.5, user: ops, key: "${env:KEY}", known_hosts: /etc/kh } }
                datasources: { app: { url: "postgresql://app@127.0.0.1:5432/app" } }
                runbooks:
                  rb-002: { steps: [{ id: s, type: sleep, duration: 1s }] }
                  rb-001:
                    title: PostgreSQL failure
                    services: [postgres]
                    target: 15m
                    params: { env: { default: prod, allowed: [prod, staging] } }
                    steps:
                      - { id: ready, type: shell, run: pg_isready, target: 30s, retries: { attempts: 3, backoff: 2s } }
                      - { id: restart, type: ssh, host: db, run: "sudo systemctl restart postgresql", confirm: true }
                      - { id: health, type: http, url: "http://127.0.0.1:3000/health", conditions: ["[STATUS] == 200"] }
                      - { id: lag, type: sql, datasource: app, query: "SELECT 1 WHERE $1 = ?", args: ["{{params.env}}"], conditions: ["[VALUE] > 0"] }
                      - { id: now, type: check, check: postgres/ready, when: "[steps.ready.exit_code] == 0" }
                      - { id: up, type: wait, url: "http://127.0.0.1:3000/health", interval: 1s, timeout: 1m }
                      - { id: ok, type: approval, role: admin, four_eyes: true }
                      - { id: tell, type: notify, channel: ops, message: "restarted on {{params.env}}" }
                      - { id: sub, type: runbook, runbook: rb-002 }
                    rollback:
                      - { id: undo, type: shell, run: "echo undo", on_failure: continue }
                """);
        Blueprint bp = compile(file);
        bp.close();
        OpsdeckConfig c = bp.config();
        RunbookDef rb = c.runbooks().runbook("rb-001").orElseThrow();
        assertThat(rb.steps()).hasSize(9);
        assertThat(rb.target()).hasMinutes(15);
        assertThat(c.runbooks().secrets()).containsExactly("x");
    }

    @Test
    void templatesInScriptsAndUnknownNamesAreRefused() throws IOException {
        assertThat(problems("""
                services: { api: {} }
                runbooks:
                  rb:
                    params: { host: {} }
                    steps:
                      - { id: a, type: shell, run: "pg_isready -h {{params.host}}" }
                      - { id: b, type: shell, run: "true", env: { H: "{{params.hots}}", S: "{{steps.c.out}}" } }
                      - { id: c, type: sql, datasource: app, query: "SELECT {{params.host}}" }
                      - { id: d, type: shell, run: "true", args: ["{{env.HOME}}"] }
                """))
                .containsExactly(
                        "6:36: runbooks.rb.steps[0].run: templates are not allowed in a script (pass values as env: { NAME: \"{{params.x}}\" } and use \"$NAME\", or as args: and use \"$1\")",
                        "7:54: runbooks.rb.steps[1].env.H: {{params.hots}} names no parameter of this runbook (did you mean 'host'?)",
                        "7:76: runbooks.rb.steps[1].env.S: {{steps.c.out}} names no earlier step (a step can use only the results of steps before it)",
                        "8:41: runbooks.rb.steps[2].datasource: no datasource 'app'",
                        "8:53: runbooks.rb.steps[2].query: templates are not allowed in SQL (write ? placeholders and give the values as args:, which are bound, never spliced)",
                        "9:51: runbooks.rb.steps[3].args: unknown template {{env.HOME}} (write {{params.NAME}} or {{steps.STEP.VALUE}})");
    }

    @Test
    void aCycleOfRunbooksIsRejectedAtLoadTime() throws IOException {
        assertThat(problems("""
                runbooks:
                  a: { steps: [{ id: s, type: runbook, runbook: b }] }
                  b: { steps: [{ id: s, type: shell, run: "false", on_failure: { run: c } }] }
                  c: { steps: [{ id: s, type: runbook, runbook: a }] }
                  d: { steps: [{ id: s, type: runbook, runbook: d }] }
                """))
                .containsExactly(
                        "2:3: runbooks.a: runbooks call each other in a cycle: a -> b -> c -> a (a runbook may run another only if that one never leads back to it)",
                        "5:3: runbooks.d: runbooks call each other in a cycle: d -> d (a runbook may run another only if that one never leads back to it)");
    }

    @Test
    void badStepsAreReportedWithTheirPositions() throws IOException {
        assertThat(problems("""
                services: { api: {} }
                runbooks:
                  RB_1:
                    params:
                      start: { pattern: "^[0-9]+$", default: now }
                      Bad: {}
                    steps:
                      - { id: a, type: shel, run: "true" }
                      - { id: b, type: shell, run: "true", on_failure: { goto: a } }
                      - { id: c, type: http, url: "http://127.0.0.1:1/", conditions: ["[STAUS] == 200"] }
                      - { id: d, type: shell, run: "true", when: "[steps.zz.status] == failed" }
                      - { id: b, type: sleep, duration: 1s, services: [x] }
                      - { id: e, type: check, check: api/nope }
                      - { id: f, type: wait, interval: 1s }
                      - { id: g, type: sleep, duration: 1s, on_failure: { goto: d } }
                """))
                .containsExactly(
                        "3:3: runbook id 'RB_1' is not allowed (use lower-case letters, digits and '-', e.g. rb-001)",
                        "5:46: runbooks.RB_1.params.start.default: \"now\" does not match ^[0-9]+$",
                        "6:7: parameter name 'Bad' is not allowed (use lower-case letters, digits and '_', starting with a letter (it becomes an environment variable))",
                        "8:24: runbooks.RB_1.steps[0].type: unknown step type \"shel\" (did you mean 'shell'?)",
                        "9:9: runbooks.RB_1.steps[1].on_failure: no step 'a' in this list (goto names a later step of the same list)",
                        "10:71: bad condition: unknown placeholder [STAUS] for this check type (available: [BODY] [BODY_TRUNCATED] [CERTIFICATE_EXPIRATION] [CONNECTED] [HEADERS] [REDIRECTS] [RESPONSE_TIME] [STATUS])",
                        "11:50: runbooks.RB_1 step d.when: bad condition: unknown placeholder [STEPS.ZZ.STATUS] for this check type (available: [PARAMS.START] [STEPS.B.DURATION] [STEPS.B.EXIT_CODE] [STEPS.B.HTTP_STATUS] [STEPS.B.OUTPUT] [STEPS.B.ROWS] [STEPS.B.STATUS] [STEPS.B.VALUE] [STEPS.C.DURATION] [STEPS.C.EXIT_CODE] [STEPS.C.HTTP_STATUS] [STEPS.C.OUTPUT] [STEPS.C.ROWS] [STEPS.C.STATUS] [STEPS.C.VALUE])",
                        "12:9: runbooks.RB_1.steps[4]: step id 'b' is used twice (each step of a runbook, rollback included, needs its own id)",
                        "12:45: runbooks.RB_1.steps[4]: unknown key 'services' (known keys: id, type, title, target, timeout, retries, when, on_failure, confirm, duration)",
                        "13:9: runbooks.RB_1 step e.check: no check 'api/nope' (name a configured, enabled check as service/check)",
                        "14:9: runbooks.RB_1.steps[6]: a wait step needs either check: or url: (with conditions:)",
                        "15:9: runbooks.RB_1.steps[7].on_failure: goto 'd' jumps backwards (goto names a later step, so a run always ends)");
    }

    @Test
    void envAndPassEnvOfARunbookReachItsShellStepsAndBadNamesAreLoadErrors() throws IOException, ConfigException {
        assertThat(problems("""
                runbooks:
                  rb:
                    env: { "BAD-NAME": x, OK: "{{steps.s.output}}" }
                    pass_env: [GOOD, "no good"]
                    steps:
                      - { id: s, type: shell, run: "true", pass_env: ["1X"] }
                """))
                .containsExactly(
                        "3:10: runbooks.rb.env: 'BAD-NAME' is not a valid environment variable name",
                        "3:10: runbooks.rb.env.OK: {{steps.s.output}} names no parameter of this runbook (a runbook's env may use"
                                + " {{params.NAME}}; a step's own env may also use earlier steps' values)",
                        "4:22: runbooks.rb.pass_env: 'no good' is not a valid environment variable name",
                        "6:55: runbooks.rb.steps[0].pass_env: '1X' is not a valid environment variable name");

        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), """
                runbooks:
                  rb:
                    env: { A: "1", B: "2" }
                    pass_env: [KUBECONFIG]
                    steps:
                      - { id: s, type: shell, run: "true", env: { B: "mine" }, pass_env: [AWS_PROFILE, KUBECONFIG] }
                      - { id: t, type: sleep, duration: 1s }
                """);
        ShellStepType.Shell sh = (ShellStepType.Shell)
                compile(file).runbooks().get("rb").settings().get("s");
        assertThat(sh.env()).containsExactly(Map.entry("A", "1"), Map.entry("B", "mine"));
        assertThat(sh.passEnv()).containsExactly("KUBECONFIG", "AWS_PROFILE");
    }

    /** Loads and compiles, as {@code opsdeck config check} does: the step types read their own keys. */
    private static Blueprint compile(Path file) throws ConfigException {
        return new Compiler(new ConfigLoader(new YamlReader(name -> "x"))).load(file);
    }

    @Test
    void everySecretOfTheConfigurationIsKnownToRunsAlsoInsideLongerText() throws IOException {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), """
                store: { url: "postgresql://opsdeck:${env:STORE_PW}@db:5432/opsdeck" }
                channels: { ops: { type: webhook, url: "http://127.0.0.1:9/hook", headers: { Authorization: "Bearer ${env:HOOK}" } } }
                runbooks:
                  rb: { steps: [{ id: s, type: sleep, duration: 1s }] }
                """);
        Problems problems = new Problems();
        OpsdeckConfig c = new ConfigLoader(new YamlReader(name -> "value-of-" + name)).load(file, problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(c.runbooks().secrets())
                .contains(
                        "value-of-STORE_PW",
                        "value-of-HOOK",
                        "Bearer value-of-HOOK",
                        "postgresql://opsdeck:value-of-STORE_PW@db:5432/opsdeck");
    }
}
