package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code schedules:}: each target kind read as written, defaults, and every mistake reported with its position. */
class ScheduleConfigTest {
    private static final String BASE = """
            services:
              web:
                checks:
                  cert: { type: tcp, host: 127.0.0.1, port: 443 }
            runbooks:
              report:
                params: { days: { type: integer, default: "7" }, to: { required: true } }
                steps: [{ id: s, type: shell, run: "true" }]
            backups:
              app:
                url: postgresql://postgres@127.0.0.1:5432/app
                destinations: { disk: { type: local, path: /var/backups/opsdeck } }
            """;

    @TempDir
    Path dir;

    private OpsdeckConfig load(String yaml, Problems problems) throws IOException {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), BASE + yaml);
        return new ConfigLoader(new YamlReader(Map.<String, String>of()::get)).load(file, problems);
    }

    private List<String> problems(String yaml) throws IOException {
        Problems problems = new Problems();
        load(yaml, problems);
        return problems.sorted().stream()
                .map(p -> p.toString().replace(dir + "/opsdeck.yaml:", ""))
                .toList();
    }

    @Test
    void everyTargetKindIsReadAsWritten() throws IOException {
        Problems problems = new Problems();
        OpsdeckConfig c = load("""
                schedules:
                  nightly-backup:
                    description: the 02:00 dump
                    cron: "0 2 * * *"
                    time_zone: Europe/Berlin
                    jitter: 5m
                    backup: app
                    missed: skip
                    grace: 30m
                    overlap: queue
                    alert: { on: [failed], severity: P2 }
                  weekly-report:
                    cron: "0 8 * * MON"
                    runbook: report
                    params: { to: ops@example.com }
                  certs:
                    cron: "0 0 6,18 * * *"
                    check: web/cert
                    overlap: allow
                  dr-test:
                    cron: "0 4 1 * *"
                    drill: monthly
                drills:
                  monthly: { target: app, scratch: { private: true }, min_tables: 3 }
                """, problems);
        assertThat(problems.sorted()).isEmpty();
        Map<String, ScheduleDef> s = c.keep().schedules();
        assertThat(s.keySet()).containsExactly("nightly-backup", "weekly-report", "certs", "dr-test");
        ScheduleDef b = s.get("nightly-backup");
        assertThat(b.cron().toString()).isEqualTo("0 2 * * *");
        assertThat(b.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(b.jitter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(b.target()).isEqualTo(new ScheduleDef.BackupTarget("app"));
        assertThat(b.missed()).isEqualTo(ScheduleDef.Missed.SKIP);
        assertThat(b.grace()).isEqualTo(Duration.ofMinutes(30));
        assertThat(b.overlap()).isEqualTo(ScheduleDef.Overlap.QUEUE);
        assertThat(b.alertOn()).containsExactly("failed");
        assertThat(b.severity()).isEqualTo("P2");
        ScheduleDef r = s.get("weekly-report");
        assertThat(r.target()).isEqualTo(new ScheduleDef.RunbookTarget("report", Map.of("to", "ops@example.com")));
        // the defaults: UTC, no jitter, run a missed slot once within an hour, skip while the last run goes
        assertThat(r.zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(r.jitter()).isEqualTo(Duration.ZERO);
        assertThat(r.missed()).isEqualTo(ScheduleDef.Missed.RUN_ONCE);
        assertThat(r.grace()).isEqualTo(Duration.ofHours(1));
        assertThat(r.overlap()).isEqualTo(ScheduleDef.Overlap.SKIP);
        assertThat(r.alertOn()).containsExactlyInAnyOrder("failed", "missed");
        assertThat(r.severity()).isEqualTo("P3");
        assertThat(s.get("certs").target()).isEqualTo(new ScheduleDef.CheckTarget("web/cert"));
        assertThat(s.get("dr-test").target()).isEqualTo(new ScheduleDef.DrillTarget("monthly"));
    }

    @Test
    void badSchedulesAreReportedWithTheirPositions() throws IOException {
        assertThat(problems("""
                schedules:
                  bad-cron: { cron: "61 2 * * *", backup: app }
                  bad-zone: { cron: "0 2 * * *", time_zone: Mars/Olympus, backup: app }
                  unknown-backup: { cron: "0 2 * * *", backup: ap }
                  unknown-runbook: { cron: "0 2 * * *", runbook: reprot, params: { to: x } }
                  unknown-check: { cron: "0 2 * * *", check: web/certs }
                  two-targets: { cron: "0 2 * * *", backup: app, check: web/cert }
                  no-target: { cron: "0 2 * * *" }
                  no-cron: { backup: app }
                  bad-policy: { cron: "0 2 * * *", backup: app, missed: later, overlap: wait, grace: 0s }
                  bad-params: { cron: "0 2 * * *", runbook: report, params: { days: many, cc: x } }
                  params-elsewhere: { cron: "0 2 * * *", backup: app, params: { a: b } }
                  bad-alert: { cron: "0 2 * * *", backup: app, alert: { on: [late], severity: P9 }, jiter: 1m }
                """))
                .containsExactly(
                        "14:21: schedules.bad-cron.cron: minute field \"61\": 61 is out of range 0-59 (hint: minute hour day-of-month month day-of-week, e.g. \"0 2 * * *\" for 02:00 every day)",
                        "15:45: schedules.bad-zone.time_zone: unknown time zone \"Mars/Olympus\" (hint: a region name such as Europe/Berlin or America/New_York, or UTC)",
                        "16:48: schedules.unknown-backup.backup: no backup target 'ap' (hint: configured: app; did you mean 'app'?)",
                        "17:50: schedules.unknown-runbook.runbook: no runbook 'reprot' (hint: configured: report; did you mean 'report'?)",
                        "18:46: schedules.unknown-check.check: no check 'web/certs' (hint: name a configured check as service/check; did you mean 'web/cert'?)",
                        "19:57: schedules.two-targets: has 2 targets (backup, check); a schedule runs exactly one (hint: one of runbook: ID, backup: TARGET, drill: NAME, check: SERVICE/CHECK)",
                        "20:14: schedules.no-target: missing a target (hint: one of runbook: ID, backup: TARGET, drill: NAME, check: SERVICE/CHECK)",
                        "21:12: schedules.no-cron: missing required key 'cron'",
                        "22:57: schedules.bad-policy.missed: unknown value \"later\" (hint: one of run_once, skip)",
                        "22:73: schedules.bad-policy.overlap: unknown value \"wait\" (hint: one of skip, queue, allow)",
                        "22:86: schedules.bad-policy.grace: must be longer than zero",
                        "23:45: schedules.bad-params.params: runbook 'report' needs parameter 'to'",
                        "23:69: schedules.bad-params.params.days: \"many\" is not a whole number",
                        "23:79: schedules.bad-params.params: runbook 'report' has no parameter 'cc' (hint: its parameters: days, to)",
                        "24:63: schedules.params-elsewhere.params: only a runbook target takes params",
                        "25:62: schedules.bad-alert.alert.on: unknown result \"late\" (hint: one or both of failed, missed; [] for no alert)",
                        "25:79: schedules.bad-alert.alert.severity: unknown value \"P9\" (hint: one of P1, P2, P3, P4)",
                        "25:85: schedules.bad-alert: unknown key 'jiter' (hint: did you mean 'jitter'?)");
    }
}
