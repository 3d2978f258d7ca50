package dev.opsdeck.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.Problem;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad alert configuration is reported at load, every problem at once, each at its line and column. */
class AlertConfigTest {
    @TempDir
    Path dir;

    private List<String> problems(String yaml) {
        Throwable t = Assertions.catchThrowable(() -> AlertFixture.load(dir, yaml));
        assertThat(t).isInstanceOf(ConfigException.class);
        String file = dir.resolve("opsdeck.yaml").toAbsolutePath().toString();
        return ((ConfigException) t)
                .problems().stream()
                        .map(Problem::toString)
                        .map(s -> s.replace(file, "F"))
                        .toList();
    }

    @Test
    void everyMistakeIsReportedWithItsPosition() {
        List<String> problems = problems("""
                alerts:
                  defaults: { dependency_wait: later }
                  rules:
                    Lag:
                      check: indexer/helth
                      state: down
                    Slow:
                      check: indexer/health
                      when: "[RESPONSE_TIM] > 50ms"
                    Templated:
                      service: indexr
                      state: down
                      summary: "{{service}} is {{stat}}"
                    Loud:
                      check: indexer/health
                      state: broken
                      severity: P0
                      runbook: see the wiki
                      for: soon
                services:
                  indexer:
                    checks:
                      health: {type: tcp, host: 127.0.0.1, port: 1}
                """);
        assertThat(problems)
                .containsExactly(
                        "F:2:32: alerts.defaults.dependency_wait: expected auto or a duration, got \"later\" (hint: auto (worked out"
                                + " from the dependencies' checks), 0s (never wait) or a duration such as 30s)",
                        "F:5:14: alerts.rules.Lag.check: unknown check 'indexer/helth' (hint: did you mean 'indexer/health'?)",
                        "F:9:13: bad condition: unknown placeholder [RESPONSE_TIM] for this check type"
                                + " (hint: available: [BODY] [CONNECTED] [RESPONSE_TIME])",
                        "F:11:16: alerts.rules.Templated.service: unknown service 'indexr' (hint: did you mean 'indexer'?)",
                        "F:13:16: alerts.rules.Templated.summary: unknown placeholder {{stat}}"
                                + " (hint: placeholders: {{service}}, {{check}}, {{value}}, {{message}}, {{severity}})",
                        "F:16:14: alerts.rules.Loud.state: unknown value \"broken\" (hint: one of degraded, down, flapping)",
                        "F:17:17: alerts.rules.Loud.severity: unknown value \"P0\" (hint: one of P1, P2, P3, P4)",
                        "F:18:16: alerts.rules.Loud.runbook: expected a runbook id or a URL, got \"see the wiki\""
                                + " (hint: e.g. rb-001, or https://wiki.example.com/runbooks/postgres)",
                        "F:19:12: alerts.rules.Loud.for: bad duration \"soon\" (hint: write a number with a unit: 500ms, 30s, 5m, 1h, 7d)");
    }

    @Test
    void targetsAndConditionsMustFitTogether() {
        List<String> problems = problems("""
                alerts:
                  rules:
                    Both: {check: api/ping, service: api, state: down}
                    Neither: {state: down}
                    Body: {check: api/ping, when: "[BODY].lag > 5"}
                    ServiceValue: {service: api, when: "[RESPONSE_TIME] > 1s"}
                services:
                  api:
                    checks:
                      ping:
                        type: tcp
                        host: 127.0.0.1
                        port: 1
                        alert: {severity: P9, enabled: maybe, labels: {service: x}, colour: red}
                """);
        assertThat(problems)
                .anyMatch(p -> p.startsWith("F:3:38: alerts.rules.Both: give either check or service, not both"))
                .anyMatch(p -> p.startsWith("F:4:5: alerts.rules.Neither: missing 'check' or 'service'"))
                .anyMatch(p -> p.startsWith("F:5:35: alerts.rules.Body.when: [BODY] is not kept after the probe"))
                .anyMatch(p -> p.startsWith("F:6:40: alerts.rules.ServiceValue.when: conditions need a check"))
                .anyMatch(p -> p.startsWith("F:14:27: services.api.checks.ping.alert.severity: unknown value \"P9\""))
                .anyMatch(p -> p.startsWith("F:14:40: services.api.checks.ping.alert.enabled: expected true or false"))
                .anyMatch(p ->
                        p.startsWith("F:14:56: services.api.checks.ping.alert.labels: 'service' is set by Opsdeck"))
                .anyMatch(p -> p.startsWith("F:14:69: services.api.checks.ping.alert: unknown key 'colour'"));
    }

    @Test
    void aValidConfigurationLoadsAndEditingAlertSettingsKeepsTheChecksState() throws Exception {
        String base = """
                services:
                  api:
                    checks:
                      ping: {type: tcp, host: 127.0.0.1, port: 1%s}
                """;
        Blueprint plain = AlertFixture.load(dir, base.formatted(""));
        Blueprint withAlert = AlertFixture.load(dir, base.formatted(", alert: {severity: P1, for: 2m}"));
        assertThat(withAlert.checks().get("api/ping").definition().definitionHash())
                .isEqualTo(plain.checks().get("api/ping").definition().definitionHash());
        plain.checks().values().forEach(c -> c.close());
        withAlert.checks().values().forEach(c -> c.close());
        assertThatThrownBy(() -> AlertFixture.load(dir, base.formatted(", alert: {for: -1m}")))
                .isInstanceOf(ConfigException.class);
    }
}
