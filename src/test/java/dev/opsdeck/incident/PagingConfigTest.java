package dev.opsdeck.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.IncidentsConfig;
import dev.opsdeck.config.IntegrationsConfig;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** incidents: and integrations: read from a real file: values, defaults, and each problem at its line. */
class PagingConfigTest {
    private static final String CHANNELS = """
            channels:
              ops: { type: webhook, url: "https://hooks.example.com/x" }
            """;

    @TempDir
    Path dir;

    private OpsdeckConfig load(String yaml, Problems problems) throws IOException {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
        return new ConfigLoader(new YamlReader(Map.of("AM_TOKEN", "s3cret-am", "EV_TOKEN", "s3cret-ev")::get))
                .load(file, problems);
    }

    /** Only this feature's problems: the channels section belongs to another reader. */
    private List<String> problems(String yaml) throws IOException {
        Problems problems = new Problems();
        load(yaml, problems);
        return problems.sorted().stream()
                .map(p -> p.toString().replace(dir + "/", ""))
                .filter(p -> p.contains("incidents") || p.contains("integrations"))
                .toList();
    }

    @Test
    void readsEveryKey() throws IOException {
        Problems problems = new Problems();
        OpsdeckConfig c = load(CHANNELS + """
                incidents:
                  ack_sla: { P1: 10m, P4: 24h }
                  resolve_sla: { P1: 2h, P2: next_business_day }
                  ack_timeout: 1h
                  time_zone: Europe/Berlin
                  notify: [ops]
                integrations:
                  prometheus: { type: alertmanager, token: "${env:AM_TOKEN}", severity_label: priority }
                  ci: { type: events, token: "${env:EV_TOKEN}", default_severity: P2 }
                """, problems);
        IncidentsConfig i = c.paging().incidents();
        assertThat(i.ack().p1()).isEqualTo(IncidentsConfig.Target.of(Duration.ofMinutes(10)));
        assertThat(i.ack().p2()).isEqualTo(IncidentsConfig.DEFAULTS.ack().p2());
        assertThat(i.ack().p4()).isEqualTo(IncidentsConfig.Target.of(Duration.ofHours(24)));
        assertThat(i.resolve().p1()).isEqualTo(IncidentsConfig.Target.of(Duration.ofHours(2)));
        assertThat(i.resolve().p2()).isEqualTo(IncidentsConfig.Target.NEXT_BUSINESS_DAY);
        assertThat(i.resolve().p3()).isEqualTo(IncidentsConfig.Target.NONE);
        assertThat(i.ackTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(i.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(i.notifyChannels()).containsExactly("ops");
        Map<String, IntegrationsConfig.Integration> byName =
                c.paging().integrations().byName();
        assertThat(byName.get("prometheus"))
                .isEqualTo(new IntegrationsConfig.Integration(
                        "prometheus", "alertmanager", "s3cret-am", "P3", "priority"));
        assertThat(byName.get("ci"))
                .isEqualTo(new IntegrationsConfig.Integration("ci", "events", "s3cret-ev", "P2", "severity"));
        assertThat(byName.get("ci").toString()).doesNotContain("s3cret");
        assertThat(problems.literalSecrets()).isEmpty();
    }

    @Test
    void defaultsWithoutTheSections() throws IOException {
        Problems problems = new Problems();
        OpsdeckConfig c = load("server: { port: 8080 }\n", problems);
        assertThat(c.paging().incidents()).isEqualTo(IncidentsConfig.DEFAULTS);
        assertThat(c.paging().integrations().byName()).isEmpty();
        assertThat(IncidentsConfig.DEFAULTS.ack().p4()).isEqualTo(IncidentsConfig.Target.NEXT_BUSINESS_DAY);
    }

    @Test
    void everyIncidentsProblemAtOnceWithItsPosition() throws IOException {
        assertThat(problems(CHANNELS + """
                incidents:
                  ack_sla: { P1: soon, P5: 1h }
                  ack_timeout: 0s
                  time_zone: Mars/Olympus
                  notify: [ops, pager]
                  escalate: true
                """))
                .containsExactly(
                        "opsdeck.yaml:4:18: incidents.ack_sla.P1: bad target \"soon\" (hint: a duration such as 15m or 4h, next_business_day, or none)",
                        "opsdeck.yaml:4:24: incidents.ack_sla: unknown key 'P5' (hint: did you mean 'P1'?)",
                        "opsdeck.yaml:5:16: incidents.ack_timeout: must be longer than zero",
                        "opsdeck.yaml:6:14: incidents.time_zone: unknown time zone \"Mars/Olympus\" (hint: a region such as Europe/Berlin, or UTC)",
                        "opsdeck.yaml:7:17: incidents.notify: no channel named \"pager\" (hint: known channels: ops)",
                        "opsdeck.yaml:8:3: incidents: unknown key 'escalate' (hint: known keys: ack_sla, resolve_sla, ack_timeout, time_zone, notify, review)");
    }

    @Test
    void everyIntegrationsProblemAtOnce() throws IOException {
        assertThat(problems("""
                integrations:
                  a: { type: nagios, token: "${env:AM_TOKEN}" }
                  b: { type: alertmanager }
                  c: { type: events, token: "${env:AM_TOKEN}", severity_label: sev, default_severity: P9 }
                  d: 5
                """))
                .containsExactly(
                        "opsdeck.yaml:2:14: integrations.a.type: unknown value \"nagios\" (hint: one of alertmanager, events)",
                        "opsdeck.yaml:3:6: integrations.b: missing required key 'token' (hint: write it as ${env:NAME} or ${file:path}, not in the file)",
                        "opsdeck.yaml:4:29: integrations.c.token: the same token as integrations.a (hint: give each integration its own token)",
                        "opsdeck.yaml:4:64: integrations.c.severity_label: only for type alertmanager (hint: events carry payload.severity)",
                        "opsdeck.yaml:4:87: integrations.c.default_severity: unknown value \"P9\" (hint: one of P1, P2, P3, P4)",
                        "opsdeck.yaml:5:6: integrations.d: expected a mapping with type and token, got \"5\"");
    }
}
