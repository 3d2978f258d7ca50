package dev.opsdeck.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A flapping check raises one alert instead of a page per change; a sink that throws breaks nothing. */
class FlappingAndSinkTest {
    @TempDir
    Path dir;

    @Test
    void aFlappingCheckRaisesOneFlappingAlertResolvedWhenTheFlagClears() throws Exception {
        String yaml = """
                monitoring:
                  flapping: {window: 10m, changes: 3}
                """ + AlertFixture.tcpChecks("redis/ping");
        try (AlertFixture f = new AlertFixture(dir, yaml, null, null)) {
            f.up("redis/ping");
            for (int i = 0; i < 10; i++) { // ten changes a minute apart
                f.clock.advance(Duration.ofMinutes(1));
                if (i % 2 == 0) f.down("redis/ping");
                else f.up("redis/ping");
            }
            // the first two changes page and resolve as usual; from the third on, the check flaps
            assertThat(f.events)
                    .extracting(e -> e.name() + " " + e.state())
                    .containsExactly("redis/ping FIRING", "redis/ping RESOLVED", "redis/ping flapping FIRING");
            assertThat(f.events.get(2).fingerprint()).isEqualTo(Fingerprints.ofFlapping("redis/ping"));

            f.clock.advance(Duration.ofMinutes(1));
            f.up("redis/ping"); // the last change (down) is within the window: still flapping
            assertThat(f.events).hasSize(3);
            f.clock.advance(Duration.ofMinutes(10)); // a quiet window: the flag clears
            f.up("redis/ping");
            assertThat(f.events)
                    .extracting(e -> e.name() + " " + e.state())
                    .containsExactly(
                            "redis/ping FIRING",
                            "redis/ping RESOLVED",
                            "redis/ping flapping FIRING",
                            "redis/ping flapping RESOLVED");
        }
    }

    @Test
    void aCheckThatIsDownWhenItStopsFlappingPagesThen() throws Exception {
        String yaml = """
                monitoring:
                  flapping: {window: 10m, changes: 3}
                """ + AlertFixture.tcpChecks("redis/ping");
        try (AlertFixture f = new AlertFixture(dir, yaml, null, null)) {
            f.up("redis/ping");
            f.down("redis/ping");
            f.clock.advance(Duration.ofMinutes(1));
            f.up("redis/ping");
            f.clock.advance(Duration.ofMinutes(1));
            f.down("redis/ping"); // flapping: the down alert stays quiet, flapping fires
            assertThat(f.events)
                    .extracting(e -> e.name() + " " + e.state())
                    .containsExactly("redis/ping FIRING", "redis/ping RESOLVED", "redis/ping flapping FIRING");
            f.clock.advance(Duration.ofMinutes(11));
            f.down("redis/ping"); // no change for a window: not flapping, and down
            assertThat(f.events)
                    .extracting(e -> e.name() + " " + e.state())
                    .containsExactly(
                            "redis/ping FIRING",
                            "redis/ping RESOLVED",
                            "redis/ping flapping FIRING",
                            "redis/ping FIRING",
                            "redis/ping flapping RESOLVED"); // own alerts are judged first
        }
    }

    /** The configuration alerts.md recommends for a database: its check's own alert off, a P1 rule on its state. */
    private static final String CRASH_LOOP = """
            monitoring:
              flapping: {window: 10m, changes: 5}
            alerts:
              rules:
                DatabaseDown:
                  service: postgres
                  state: down
                  severity: P1
                  runbook: https://wiki.example.com/postgres
                  labels: {team: db}
            services:
              postgres:
                checks:
                  health: {type: tcp, host: 127.0.0.1, port: 1, interval: 1h, alert: {enabled: false}}
            """;

    @Test
    void aCrashLoopingServiceWhoseRuleFlappingFreezesStillPagesOnceAsFlapping() throws Exception {
        try (AlertFixture f = new AlertFixture(dir, CRASH_LOOP, null, null)) {
            f.up("postgres/health");
            for (int i = 0; i < 12; i++) { // down and up every 30 seconds for six minutes
                f.clock.advance(Duration.ofSeconds(30));
                if (i % 2 == 0) f.down("postgres/health");
                else f.up("postgres/health");
            }
            // the first changes page and resolve the rule; from the fifth change on the service flaps: one page
            assertThat(f.events)
                    .extracting(e -> e.name() + " " + e.state())
                    .containsExactly(
                            "DatabaseDown FIRING",
                            "DatabaseDown RESOLVED",
                            "DatabaseDown FIRING",
                            "DatabaseDown RESOLVED",
                            "postgres/health flapping FIRING");
            AlertEvent flapping = f.events.getLast();
            assertThat(flapping.fingerprint()).isEqualTo(Fingerprints.ofFlapping("postgres/health"));
            assertThat(flapping.severity())
                    .as("as urgent as the rule it speaks for")
                    .isEqualTo(AlertEvent.Severity.P1);
            assertThat(flapping.suppressed()).isFalse();
            assertThat(flapping.runbook()).isEqualTo("https://wiki.example.com/postgres");
            assertThat(flapping.labels())
                    .containsEntry("team", "db")
                    .containsEntry("alertname", "postgres/health flapping");

            f.clock.advance(Duration.ofMinutes(11)); // quiet, and down: the flag clears, the rule pages the outage
            f.down("postgres/health");
            assertThat(f.events)
                    .extracting(e -> e.name() + " " + e.state())
                    .endsWith("DatabaseDown FIRING", "postgres/health flapping RESOLVED");
        }
    }

    @Test
    void aFlappingRuleOnTheServiceSpeaksForItAlone() throws Exception {
        String yaml = CRASH_LOOP.replace("""
                  labels: {team: db}
            """, """
                  labels: {team: db}
                DatabaseFlapping:
                  service: postgres
                  state: flapping
                  severity: P2
            """);
        try (AlertFixture f = new AlertFixture(dir, yaml, null, null)) {
            f.up("postgres/health");
            for (int i = 0; i < 12; i++) {
                f.clock.advance(Duration.ofSeconds(30));
                if (i % 2 == 0) f.down("postgres/health");
                else f.up("postgres/health");
            }
            assertThat(f.events)
                    .extracting(e -> e.name() + " " + e.state())
                    .containsExactly(
                            "DatabaseDown FIRING",
                            "DatabaseDown RESOLVED",
                            "DatabaseDown FIRING",
                            "DatabaseDown RESOLVED",
                            "DatabaseFlapping FIRING");
        }
    }

    @Test
    void aSinkThatThrowsIsLoggedAndTheEngineGoesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AlertSink broken = e -> {
            calls.incrementAndGet();
            throw new IllegalStateException("incident store unavailable");
        };
        try (AlertFixture f = new AlertFixture(dir, AlertFixture.tcpChecks("api/a", "api/b"), null, broken)) {
            f.down("api/a");
            f.down("api/b");
            f.up("api/a");
            assertThat(calls).hasValue(3);
            assertThat(f.events)
                    .extracting(e -> e.name() + " " + e.state())
                    .containsExactly("api/a FIRING", "api/b FIRING", "api/a RESOLVED");
            assertThat(f.engine.active(ActiveAlert.State.FIRING))
                    .extracting(ActiveAlert::name)
                    .containsExactly("api/b");
        }
    }
}
