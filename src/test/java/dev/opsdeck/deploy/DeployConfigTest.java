package dev.opsdeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.DeployDef;
import dev.opsdeck.config.DeploysConfig;
import dev.opsdeck.config.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service's {@code deploy:} section and the top-level {@code deploys:} windows, through the whole compile step:
 * read as written, and each mistake refused with its file, line and column and a message that says what to write.
 */
class DeployConfigTest {
    private static final String BASE = """
            channels:
              ops: { type: webhook, url: "http://127.0.0.1:9/hook" }
            runbooks:
              ship:
                params: { version: { required: true } }
                steps: [ { id: go, type: shell, run: "true" } ]
              noversion:
                steps: [ { id: go, type: shell, run: "true" } ]
            services:
              shop:
                checks:
                  health: { type: http, url: "http://127.0.0.1:9/health" }
                  errors: { type: http, url: "http://127.0.0.1:9/errors" }
            """;

    @TempDir
    Path dir;

    private Blueprint compile(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), BASE + yaml);
        return new Compiler(new ConfigLoader(new YamlReader(Map.<String, String>of()::get))).load(file);
    }

    /** The problems as {@code line:col: message (hint)}, the file name taken off. */
    private List<String> problems(String yaml) throws Exception {
        try {
            compile(yaml).close();
            return List.of();
        } catch (ConfigException e) {
            return e.problems().stream()
                    .map(p -> p.toString().replace(dir.resolve("opsdeck.yaml") + ":", ""))
                    .toList();
        }
    }

    @Test
    void aDeploySectionAndTheWindowsAreReadAsWritten() throws Exception {
        Blueprint b = compile("""
                    deploy:
                      runbook: ship
                      environment: staging
                      rollback: manual
                      notify: [ops]
                      approval: { role: admin, four_eyes: true }
                      gate:
                        delay: 5s
                        timeout: 1m
                        checks: [ { check: health, conditions: ["[BODY].version == {{version}}"] } ]
                      bake:
                        duration: 10m
                        analysis: [ { check: errors, samples: 5, failures: 2 } ]
                      freeze:
                        incidents: false
                        windows: [ { name: weekend, days: [fri], at: "16:00", for: 64h, time_zone: Europe/Berlin } ]
                deploys:
                  correlation_window: 2h
                  failure_window: 30m
                  metrics_period: 7d
                """);
        try {
            DeployDef d = b.config().service("shop").orElseThrow().deploy();
            assertThat(d.runbook()).isEqualTo("ship");
            assertThat(d.environment()).isEqualTo("staging");
            assertThat(d.autoRollback()).isFalse();
            assertThat(d.channels()).containsExactly("ops");
            assertThat(d.approval()).isEqualTo(new DeployDef.Approval("admin", true));
            assertThat(d.gate().delay()).isEqualTo(Duration.ofSeconds(5));
            assertThat(d.gate().checks()).extracting(DeployDef.Probe::check).containsExactly("health");
            assertThat(d.bake().duration()).isEqualTo(Duration.ofMinutes(10));
            assertThat(d.bake().analysis().get(0).failures()).isEqualTo(2);
            assertThat(d.freeze().incidents()).isFalse();
            assertThat(d.freeze().windows()).extracting(DeployDef.Window::name).containsExactly("weekend");
            assertThat(b.config().deploys())
                    .isEqualTo(new DeploysConfig(Duration.ofHours(2), Duration.ofMinutes(30), Duration.ofDays(7)));
        } finally {
            b.close();
        }
        Blueprint defaults = compile("    deploy: { runbook: ship }\n");
        try {
            assertThat(defaults.config().deploys()).isEqualTo(DeploysConfig.DEFAULTS);
            assertThat(DeploysConfig.DEFAULTS)
                    .isEqualTo(new DeploysConfig(Duration.ofHours(1), Duration.ofHours(1), Duration.ofDays(30)));
        } finally {
            defaults.close();
        }
    }

    @Test
    void eachMistakeIsRefusedWithItsPosition() throws Exception {
        assertThat(problems("""
                    deploy:
                      runbook: shipp
                      rollback: sometimes
                      notify: [pager]
                      approval: { role: boss }
                      gate:
                        timeout: soon
                        checks: [ helth, { check: health, conditions: ["[BODY].version ==="] } ]
                      bake:
                        analysis: [ { check: errors, samples: 2, failures: 3 } ]
                      freeze:
                        windows:
                          - { days: [someday], at: "16:00", for: 1h }
                          - { days: [fri], at: "4pm", for: 1h }
                          - { from: "yesterday", until: "2027-01-04T00:00:00Z" }
                          - { days: [fri], at: "16:00", for: 1h, time_zone: Mars/Olympus }
                      colour: blue
                """))
                .containsExactly(
                        "15:7: services.shop.deploy.runbook: no runbook 'shipp' (hint: did you mean 'ship'?)",
                        "15:7: services.shop.deploy.notify: no channel 'pager' (hint: define it under channels:)",
                        "16:17: services.shop.deploy.rollback: unknown value \"sometimes\" (hint: one of auto, manual)",
                        "18:25: services.shop.deploy.approval.role: unknown value \"boss\" (hint: one of responder,"
                                + " operator, admin)",
                        "20:18: services.shop.deploy.gate.timeout: bad duration \"soon\" (hint: write a number with a"
                                + " unit: 500ms, 30s, 5m, 1h, 7d)",
                        "21:19: services.shop.deploy.gate.checks[0]: no check 'helth' on this service (hint: did you mean"
                                + " 'health'?)",
                        "21:56: bad condition: unknown operator \"===\" in \"[BODY].version ===\" (hint: operators are =="
                                + " != < <= > >=; quote a text that starts with = ! < or >, e.g. [BODY] == \"=ok\")",
                        "23:60: services.shop.deploy.bake.analysis[0].failures: 3 is more than samples (2) (hint: the"
                                + " bake fails when FAILURES of the last SAMPLES samples fail)",
                        "26:21: services.shop.deploy.freeze.windows[0].days: unknown day 'someday' (hint: mon, tue, wed,"
                                + " thu, fri, sat, sun)",
                        "27:32: services.shop.deploy.freeze.windows[1].at: expected a time such as \"16:00\", got '4pm'",
                        "28:13: services.shop.deploy.freeze.windows[2]: a window needs from and until (until after"
                                + " from), or days, at and for (hint: from: 2026-12-23T00:00:00Z, until:"
                                + " 2027-01-04T00:00:00Z; or days: [fri], at: \"16:00\", for: 64h)",
                        "28:21: services.shop.deploy.freeze.windows[2].from: expected a UTC time such as"
                                + " 2026-12-23T00:00:00Z, got 'yesterday'",
                        "29:61: services.shop.deploy.freeze.windows[3].time_zone: unknown time zone 'Mars/Olympus'"
                                + " (hint: e.g. Europe/Berlin)",
                        "30:7: services.shop.deploy: unknown key 'colour' (hint: known keys: runbook, environment, gate,"
                                + " bake, rollback, approval, freeze, notify)");
        assertThat(problems("    deploy: { runbook: noversion }\n"))
                .containsExactly("14:13: services.shop.deploy.runbook: runbook 'noversion' has no parameter 'version'"
                        + " (hint: declare params: [{ name: version, required: true }] and use {{params.version}} in"
                        + " its steps)");
        assertThat(problems("    deploy: { environment: staging }\n"))
                .containsExactly("14:13: services.shop.deploy: missing required key 'runbook'");
    }

    @Test
    void theWindowsAreValidated() throws Exception {
        assertThat(problems("""
                    deploy: { runbook: ship }
                deploys:
                  correlation_window: 8d
                  failure_window: 0s
                  metrics_period: 36h
                  lookback: 1h
                """))
                .containsExactly(
                        "16:23: deploys.correlation_window: at most 7d, got 8d (hint: e.g. 1h)",
                        "17:19: deploys.failure_window: must be longer than zero",
                        "18:19: deploys.metrics_period: expected whole days from 1d to 365d, got 1.5d (hint: e.g. 30d)",
                        "19:3: deploys: unknown key 'lookback' (hint: known keys: correlation_window, failure_window,"
                                + " metrics_period)");
        assertThat(problems("deploys: { metrics_period: 400d }\n"))
                .containsExactly(
                        "14:28: deploys.metrics_period: expected whole days from 1d to 365d, got 400d (hint: e.g. 30d)");
    }
}
