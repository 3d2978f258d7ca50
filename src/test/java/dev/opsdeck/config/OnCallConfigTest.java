package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-call sections: what they become, routing, and every mistake reported at once with its position. */
class OnCallConfigTest {
    private static final String BASE = """
            services:
              api: {}
              postgres: {}
            channels:
              mail: { type: email, smtp: { host: smtp.example.com }, from: opsdeck@example.com, to: ops@example.com }
              hook: { type: webhook, url: "https://hooks.example.com/x" }
            """;

    @TempDir
    Path dir;

    private OnCallConfig load(String yaml, Problems problems) throws IOException {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), BASE + yaml);
        return new ConfigLoader(new YamlReader(name -> "x"))
                .load(file, problems)
                .paging()
                .oncall();
    }

    private List<String> problems(String yaml) throws IOException {
        Problems problems = new Problems();
        load(yaml, problems);
        return problems.sorted().stream()
                .map(Problem::toString)
                .map(s -> s.substring(s.indexOf("opsdeck.yaml:")))
                .toList();
    }

    @Test
    void aCompleteOnCallSetUpLoads() throws IOException {
        Problems problems = new Problems();
        OnCallConfig c = load("""
                contacts:
                  alice: { name: Alice Example, email: alice@example.com, slack: "<@U1>", phone: "+49 1", notify: [mail, hook] }
                  bob: { notify: mail }
                rotations:
                  primary:
                    members: [alice, bob]
                    length: 1w
                    handoff: "10:30"
                    time_zone: Europe/Berlin
                    start: 2026-01-05
                    overrides: [{ from: "2026-03-28T09:00", to: "2026-03-30 09:00", contact: bob }]
                escalation_policies:
                  db:
                    match: { service: postgres, labels: { team: data } }
                    steps: [{ contacts: [bob], wait: 5m }]
                  critical:
                    match: { severity: [P1, P2] }
                    repeat: 2
                    steps:
                      - { rotations: [primary] }
                      - { contacts: [alice], channels: [hook], wait: 30m }
                  rest: { default: true, steps: [{ channels: [hook] }] }
                maintenance:
                  vacuum: { services: [postgres], days: [sun, wed], at: "03:00", duration: 2h, time_zone: Europe/Berlin, comment: vacuum }
                  move: { services: api, start: "2026-06-01T22:00", end: "2026-06-01T23:30" }
                """, problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(c.contacts().get("alice").channels()).containsExactly("mail", "hook");
        assertThat(c.contacts().get("bob").name()).isEqualTo("bob");
        OnCallConfig.Rotation r = c.rotations().get("primary");
        assertThat(r.length()).isEqualTo(Duration.ofDays(7));
        assertThat(r.handoff()).isEqualTo(LocalTime.of(10, 30));
        assertThat(r.overrides())
                .singleElement()
                .extracting(OnCallConfig.Override::contact)
                .isEqualTo("bob");
        assertThat(c.policies()).extracting(OnCallConfig.Policy::key).containsExactly("db", "critical", "rest");
        assertThat(c.policies().get(1).steps().get(0).waitFor()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.maintenance().get("vacuum").days())
                .containsExactlyInAnyOrder(DayOfWeek.SUNDAY, DayOfWeek.WEDNESDAY);
        assertThat(c.maintenance().get("move").start()).isEqualTo(Instant.parse("2026-06-01T22:00:00Z"));
        // routing: first match in file order, else the default
        assertThat(c.route("P1", "postgres", Map.of("team", "data"))
                        .orElseThrow()
                        .key())
                .isEqualTo("db");
        assertThat(c.route("P1", "postgres", Map.of()).orElseThrow().key()).isEqualTo("critical");
        assertThat(c.route("P3", "api", Map.of()).orElseThrow().key()).isEqualTo("rest");
    }

    @Test
    void withoutADefaultAnUnmatchedIncidentHasNoPolicy() throws IOException {
        OnCallConfig c = load("""
                escalation_policies:
                  critical: { match: { severity: P1 }, steps: [{ channels: [hook] }] }
                """, new Problems());
        assertThat(c.route("P2", "api", Map.of())).isEmpty();
        assertThat(c.policies().getFirst().severities()).isEqualTo(Set.of("P1"));
    }

    @Test
    void everyMistakeIsReportedWithItsPlace() throws IOException {
        assertThat(problems("""
                contacts:
                  alice: { email: alice, notify: [mial] }
                  bob: { name: Bob }
                rotations:
                  primary: { members: [alice, carol], length: 30m, handoff: "25:00", time_zone: Mars/Base, start: 2026-13-01 }
                  later: { members: [alice], start: 2026-01-05, overrides: [{ from: "2026-03-30T09:00", to: "2026-03-28T09:00", contact: alice }] }
                escalation_policies:
                  a: { default: true, repeat: 11, steps: [{ wait: 5m }] }
                  b: { default: true, match: { severity: P5, service: apii }, steps: [{ rotations: [primry] }] }
                  c: { steps: [] }
                maintenance:
                  m1: { services: [api], start: "2026-06-01T22:00", days: [sun] }
                  m2: { services: [api], days: [funday], at: "02:00" }
                  m3: { services: [api] }
                  m4: { services: [api], start: "2026-06-01T22:00Z", end: "2026-06-01T21:00" }
                """))
                .containsExactly(
                        "opsdeck.yaml:8:19: contacts.alice.email: not an email address \"alice\"",
                        "opsdeck.yaml:8:35: contacts.alice.notify: no channel named \"mial\" (hint: did you mean 'mail'?)",
                        "opsdeck.yaml:9:8: contacts.bob: missing required key 'notify' (hint: the channels that reach this person, e.g. notify: [oncall-mail])",
                        "opsdeck.yaml:11:31: rotations.primary.members: no contact named \"carol\" (hint: known: alice, bob)",
                        "opsdeck.yaml:11:47: rotations.primary.length: a turn lasts at least 1h",
                        "opsdeck.yaml:11:61: rotations.primary.handoff: not a time of day \"25:00\" (hint: e.g. 09:00)",
                        "opsdeck.yaml:11:81: rotations.primary.time_zone: unknown time zone \"Mars/Base\" (hint: a region such as Europe/Berlin, or UTC)",
                        "opsdeck.yaml:11:99: rotations.primary.start: not a date \"2026-13-01\" (hint: the first hand-off day, e.g. 2026-01-05)",
                        "opsdeck.yaml:12:93: rotations.later.overrides[0].to: must be after from",
                        "opsdeck.yaml:14:31: escalation_policies.a.repeat: 11 is out of range (hint: use a whole number from 0 to 10)",
                        "opsdeck.yaml:14:43: escalation_policies.a.steps[0]: pages nobody (hint: name rotations, contacts or channels)",
                        "opsdeck.yaml:15:3: escalation_policies.b.default: only one policy can be the default; a is already",
                        "opsdeck.yaml:15:42: escalation_policies.b.match.severity: unknown severity \"P5\" (hint: P1, P2, P3 or P4)",
                        "opsdeck.yaml:15:55: escalation_policies.b.match.service: no service named \"apii\" (hint: did you mean 'api'?)",
                        "opsdeck.yaml:15:85: escalation_policies.b.steps[0].rotations: no rotation named \"primry\" (hint: did you mean 'primary'?)",
                        "opsdeck.yaml:16:6: escalation_policies.c: routes no incident (hint: give match: (severity, service, labels) or default: true)",
                        "opsdeck.yaml:16:15: escalation_policies.c.steps: at least one step is required",
                        "opsdeck.yaml:18:7: maintenance.m1: give start and end (one-off) or days, at and duration (weekly), not both",
                        "opsdeck.yaml:19:33: maintenance.m2.days: unknown day \"funday\" (hint: monday .. sunday, or daily)",
                        "opsdeck.yaml:20:7: maintenance.m3: when is it? (hint: start and end for a one-off window, or days, at and duration for a weekly one)",
                        "opsdeck.yaml:21:33: maintenance.m4.start: write a local time without offset \"2026-06-01T22:00Z\" (hint: local to time_zone, e.g. 2026-03-28T09:00)");
    }
}
