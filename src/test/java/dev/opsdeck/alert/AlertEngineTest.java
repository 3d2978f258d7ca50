package dev.opsdeck.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of alert through pending, firing and resolved, with the clock moved by hand. */
class AlertEngineTest {
    @TempDir
    Path dir;

    @Test
    void aCheckThatGoesDownFiresAtOnceAndResolvesWhenItIsUpAgain() throws Exception {
        try (AlertFixture f = new AlertFixture(dir, AlertFixture.tcpChecks("api/ping"), null, null)) {
            f.up("api/ping");
            assertThat(f.events).isEmpty();
            f.down("api/ping");
            assertThat(f.events).singleElement().satisfies(e -> {
                assertThat(e.state()).isEqualTo(AlertEvent.State.FIRING);
                assertThat(e.name()).isEqualTo("api/ping");
                assertThat(e.severity()).isEqualTo(AlertEvent.Severity.P2);
                assertThat(e.service()).isEqualTo("api");
                assertThat(e.rootCause()).isEqualTo("api");
                assertThat(e.suppressed()).isFalse();
                assertThat(e.summary()).isEqualTo("api/ping is down: connection refused");
                assertThat(e.source()).isEqualTo("rule");
                assertThat(e.fingerprint())
                        .isEqualTo(Fingerprints.ofCheck("api/ping"))
                        .hasSize(16);
            });
            f.down("api/ping"); // still down: no second page
            assertThat(f.events).hasSize(1);
            assertThat(f.metric("opsdeck.alerts.firing", "severity", "P2")).isEqualTo(1);
            f.clock.advance(Duration.ofMinutes(3));
            f.up("api/ping");
            assertThat(f.events).hasSize(2);
            assertThat(f.events.get(1).state()).isEqualTo(AlertEvent.State.RESOLVED);
            assertThat(f.events.get(1).at()).isEqualTo(AlertFixture.T0.plus(Duration.ofMinutes(3)));
            assertThat(f.engine.active(null)).isEmpty();
            assertThat(f.metric("opsdeck.alerts.firing", "severity", "P2")).isZero();
            assertThat(f.metric("opsdeck.alert.transitions", "state", "resolved"))
                    .isEqualTo(1);
        }
    }

    @Test
    void aSuppressedAlertCarriesTheReasonItsSuppressionGave() throws Exception {
        try (AlertFixture f = new AlertFixture(dir, AlertFixture.tcpChecks("api/ping", "web/ping"), null, null)) {
            f.engine.suppressWith(Suppression.first(
                    (service, name, severity, labels) -> service.equals("api") ? "silenced by silence #3" : null,
                    (service, name, severity, labels) -> service.equals("api") || service.equals("web")
                            ? "held by maintenance window deploys"
                            : null));
            f.down("api/ping");
            f.down("web/ping");
            assertThat(f.events(AlertEvent.State.FIRING))
                    .extracting(AlertEvent::suppressed, AlertEvent::suppressedBy)
                    .containsExactly(
                            Tuple.tuple(true, "silenced by silence #3"),
                            Tuple.tuple(true, "held by maintenance window deploys"));
            f.engine.suppressWith(Suppression.NONE);
            f.up("web/ping");
            f.down("web/ping"); // fires again, nothing holds it back now
            assertThat(f.events.getLast()).satisfies(e -> {
                assertThat(e.suppressed()).isFalse();
                assertThat(e.suppressedBy()).isNull();
            });
            assertThat(f.events(AlertEvent.State.RESOLVED))
                    .singleElement()
                    .satisfies(e -> assertThat(e.suppressedBy()).isNull());
        }
    }

    @Test
    void forIsWaitedOutAndAPendingAlertThatClearsDisappearsSilently() throws Exception {
        String yaml = """
                alerts:
                  defaults: {for: 5m}
                """ + AlertFixture.tcpChecks("api/ping");
        try (AlertFixture f = new AlertFixture(dir, yaml, null, null)) {
            f.down("api/ping");
            assertThat(f.engine.active(ActiveAlert.State.PENDING)).hasSize(1);
            f.clock.advance(Duration.ofMinutes(2));
            f.up("api/ping"); // cleared before 5m: never paged, never told
            assertThat(f.events).isEmpty();
            assertThat(f.engine.active(null)).isEmpty();

            f.down("api/ping");
            f.clock.advance(Duration.ofMinutes(4).plusSeconds(59));
            f.down("api/ping");
            assertThat(f.events).isEmpty();
            f.clock.advance(Duration.ofSeconds(1));
            f.down("api/ping");
            assertThat(f.events).singleElement().extracting(AlertEvent::state).isEqualTo(AlertEvent.State.FIRING);
            assertThat(f.engine.active(ActiveAlert.State.FIRING))
                    .singleElement()
                    .extracting(ActiveAlert::sinceMs)
                    .isEqualTo(f.clock.millis());
            assertThat(f.metric("opsdeck.alert.transitions", "state", "pending"))
                    .isEqualTo(2);
        }
    }

    @Test
    void degradedPagesOnlyWhereAskedWithTheChecksOwnSettings() throws Exception {
        String yaml = """
                services:
                  web:
                    checks:
                      ttfb:
                        type: tcp
                        host: 127.0.0.1
                        port: 1
                        alert: {on_degraded: true, severity: P3, runbook: rb-006, labels: {team: web}}
                      other: {type: tcp, host: 127.0.0.1, port: 1}
                """;
        try (AlertFixture f = new AlertFixture(dir, yaml, null, null)) {
            f.result("web/other", Status.DEGRADED, "degraded: slow", Map.of());
            assertThat(f.events).isEmpty();
            f.result("web/ttfb", Status.DEGRADED, "degraded: [RESPONSE_TIME]: 950ms > 400ms", Map.of());
            assertThat(f.events).singleElement().satisfies(e -> {
                assertThat(e.severity()).isEqualTo(AlertEvent.Severity.P3);
                assertThat(e.runbook()).isEqualTo("rb-006");
                assertThat(e.labels()).containsEntry("team", "web").containsEntry("check", "web/ttfb");
            });
        }
    }

    @Test
    void aRuleOnAMeasuredValueRendersItsTemplates() throws Exception {
        String yaml = """
                alerts:
                  rules:
                    IndexerLag:
                      check: indexer/lag
                      when: "[VALUE] > 300"
                      for: 5m
                      severity: P2
                      runbook: rb-002
                      labels: {team: platform}
                      summary: "{{service}} lags {{value}}s ({{severity}})"
                      description: "{{check}}: {{message}}"
                services:
                  indexer:
                    checks:
                      lag: {type: prometheus, url: "http://127.0.0.1:1/metrics", metric: lag_seconds}
                """;
        try (AlertFixture f = new AlertFixture(dir, yaml, null, null)) {
            f.result("indexer/lag", Status.UP, "1/1 conditions hold", Map.of("VALUE", 420.0, "SAMPLES", 1L));
            f.clock.advance(Duration.ofMinutes(5));
            f.result("indexer/lag", Status.UP, "1/1 conditions hold", Map.of("VALUE", 450.0, "SAMPLES", 1L));
            assertThat(f.events).singleElement().satisfies(e -> {
                assertThat(e.name()).isEqualTo("IndexerLag");
                assertThat(e.fingerprint()).isEqualTo(Fingerprints.ofRule("IndexerLag", "indexer/lag"));
                assertThat(e.summary()).isEqualTo("indexer lags 450s (P2)");
                assertThat(e.description()).isEqualTo("indexer/lag: [VALUE]: 450 > 300");
                assertThat(e.runbook()).isEqualTo("rb-002");
                assertThat(e.labels()).containsEntry("alertname", "IndexerLag").containsEntry("team", "platform");
            });
            // a result that did not measure the value (the endpoint is down) leaves the rule as it is
            f.result("indexer/lag", Status.DOWN, "connection refused", Map.of());
            assertThat(f.events.stream().filter(e -> e.name().equals("IndexerLag")))
                    .hasSize(1);
            f.result("indexer/lag", Status.UP, "1/1 conditions hold", Map.of("VALUE", 12.0, "SAMPLES", 1L));
            assertThat(f.events.stream()
                            .filter(e -> e.name().equals("IndexerLag"))
                            .map(AlertEvent::state))
                    .containsExactly(AlertEvent.State.FIRING, AlertEvent.State.RESOLVED);
        }
    }

    @Test
    void aServiceRuleFiresOnTheServicesState() throws Exception {
        String yaml = """
                alerts:
                  defaults: {on_down: false}
                  rules:
                    DatabaseDown: {service: postgres, state: down, severity: P1}
                """ + AlertFixture.tcpChecks("postgres/ready", "postgres/replica");
        try (AlertFixture f = new AlertFixture(dir, yaml, null, null)) {
            f.up("postgres/ready");
            f.down("postgres/replica");
            assertThat(f.events).singleElement().satisfies(e -> {
                assertThat(e.name()).isEqualTo("DatabaseDown");
                assertThat(e.severity()).isEqualTo(AlertEvent.Severity.P1);
                assertThat(e.labels()).doesNotContainKey("check");
            });
            f.up("postgres/ready"); // the other check is still down: so is the service
            assertThat(f.events).hasSize(1);
            f.up("postgres/replica");
            assertThat(f.events)
                    .extracting(AlertEvent::state)
                    .containsExactly(AlertEvent.State.FIRING, AlertEvent.State.RESOLVED);
        }
    }
}
