package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.CheckCompiler;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auto_run} on alert rules and check alerts: checked against the runbooks at load, with positions. */
class AutoRunConfigTest {
    private static final String RUNBOOKS = """
            runbooks:
              rb-001:
                params:
                  service: { type: string, required: true, pattern: "^[a-z-]+$" }
                  mode: { type: string, default: soft, allowed: [soft, hard] }
                steps: [{ id: s, type: shell, run: "true" }]
            """;

    @TempDir
    Path dir;

    private OpsdeckConfig load(String yaml, Problems problems) throws IOException {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
        OpsdeckConfig c = new ConfigLoader(new YamlReader(name -> "x")).load(file, problems);
        new CheckCompiler(CheckTypes.standard())
                .compileAll(c, problems)
                .values()
                .forEach(CompiledCheck::close);
        return c;
    }

    private List<String> problems(String yaml) throws IOException {
        Problems problems = new Problems();
        load(yaml, problems);
        return problems.sorted().stream()
                .map(p -> p.position().line() + ":" + p.position().column() + ": " + p.message()
                        + (p.hint() == null ? "" : " (" + p.hint() + ")"))
                .toList();
    }

    @Test
    void aRuleAndACheckAlertOptInWithParametersFromLabels() throws IOException {
        Problems problems = new Problems();
        OpsdeckConfig c = load("""
                services:
                  postgres:
                    checks:
                      ready:
                        type: tcp
                        host: 127.0.0.1
                        port: 5432
                        alert: { runbook: rb-001, auto_run: true, runbook_params: { service: "{{labels.service}}" } }
                alerts:
                  rules:
                    PostgresDown:
                      service: postgres
                      state: down
                      labels: { team: db }
                      runbook: rb-001
                      auto_run: true
                      runbook_params: { service: "pg-{{labels.team}}", mode: hard }
                    Plain: { service: postgres, state: down, runbook: rb-001 }
                """ + RUNBOOKS, problems);
        assertThat(problems.sorted()).isEmpty();
        AutoRun rule = c.paging().alerts().rules().get("PostgresDown").autoRun();
        assertThat(rule.runbook()).isEqualTo("rb-001");
        assertThat(rule.params(Map.of("team", "db", "service", "postgres")))
                .isEqualTo(Map.of("service", "pg-db", "mode", "hard"));
        assertThat(c.paging().alerts().rules().get("Plain").autoRun()).isNull();
        CheckDef check = c.services().get(0).checks().get(0);
        AutoRun own = CheckAlert.read(check, c.paging().alerts().defaults(), new Problems())
                .autoRun();
        assertThat(own.params(Map.of("service", "postgres"))).isEqualTo(Map.of("service", "postgres"));
    }

    @Test
    void badAutoRunsAreLoadErrorsAtTheirPosition() throws IOException {
        assertThat(problems("""
                services:
                  postgres:
                    checks:
                      ready:
                        type: tcp
                        host: 127.0.0.1
                        port: 5432
                        alert: { auto_run: true }
                alerts:
                  rules:
                    Unknown: { service: postgres, state: down, runbook: rb-009, auto_run: true }
                    Url: { service: postgres, state: down, runbook: "https://wiki/rb", auto_run: true }
                    Unfilled: { service: postgres, state: down, runbook: rb-001, auto_run: true }
                    BadParam:
                      service: postgres
                      state: down
                      runbook: rb-001
                      auto_run: true
                      runbook_params:
                        service: "{{labels.team}}"
                        nope: x
                        mode: brutal
                    Idle: { service: postgres, state: down, runbook: rb-001, runbook_params: { service: x } }
                """ + RUNBOOKS))
                .containsExactly(
                        "8:28: services.postgres.checks.ready.alert.auto_run: needs runbook: the id of the runbook to start (e.g. runbook: rb-001)",
                        "11:57: alerts.rules.Unknown.runbook: no runbook 'rb-009' under runbooks: (auto_run starts one) (did you mean 'rb-001'?)",
                        "12:53: alerts.rules.Url.runbook: auto_run needs the id of a runbook under runbooks:, not a URL (\"https://wiki/rb\") (e.g. runbook: rb-001)",
                        "13:76: alerts.rules.Unfilled.auto_run: runbook rb-001 needs parameter 'service', which runbook_params does not fill"
                                + " (add runbook_params: { service: \"{{labels.service}}\" })",
                        "20:18: alerts.rules.BadParam.runbook_params.service: unknown placeholder {{labels.team}}"
                                + " (placeholders: {{labels.alertname}}, {{labels.service}})",
                        "21:15: alerts.rules.BadParam.runbook_params: runbook rb-001 has no parameter 'nope' (parameters: service, mode)",
                        "22:15: alerts.rules.BadParam.runbook_params.mode: \"brutal\" is not one of soft, hard",
                        "23:78: alerts.rules.Idle.runbook_params: only used with auto_run: true (add auto_run: true, or remove runbook_params)");
    }
}
