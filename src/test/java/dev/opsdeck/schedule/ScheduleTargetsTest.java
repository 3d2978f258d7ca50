package dev.opsdeck.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.ManualClock;
import dev.opsdeck.backup.Backup;
import dev.opsdeck.backup.Backups;
import dev.opsdeck.backup.CompiledDestination;
import dev.opsdeck.backup.DestinationCompiler;
import dev.opsdeck.backup.DestinationTypes;
import dev.opsdeck.backup.DrillResult;
import dev.opsdeck.backup.Drills;
import dev.opsdeck.backup.Scratch;
import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.YamlReader;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.runbook.Run;
import dev.opsdeck.runbook.Runbooks;
import dev.opsdeck.store.Store;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each target kind really runs: a backup with the real pg_dump into a real directory, a runbook run with a real
 * shell, a check against a real socket, and a restore drill of that backup into a temporary database.
 */
class ScheduleTargetsTest {
    @TempDir
    Path dir;

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void everyTargetKindRunsForReal() throws Exception {
        String db = Scratch.pgbench(1);
        Path out = Files.createDirectories(dir.resolve("backups"));
        Path marker = dir.resolve("report.txt");
        try (ServerSocket listening = new ServerSocket(0)) {
            String yaml = """
                    services:
                      web:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d }
                          closed: { type: tcp, host: 127.0.0.1, port: 1, timeout: 2s }
                    runbooks:
                      report:
                        params: { days: { type: integer, default: "7" } }
                        steps:
                          - { id: write, type: shell, run: 'echo "days=$DAYS" > "$OUT"', env: { DAYS: "{{params.days}}", OUT: "%s" } }
                    backups:
                      app:
                        url: postgresql://postgres@127.0.0.1:5432/%s
                        destinations: { disk: { type: local, path: %s } }
                    drills:
                      monthly:
                        target: app
                        scratch: { server: "postgresql://postgres@127.0.0.1:5432/postgres" }
                        min_tables: 4
                      too-many-tables:
                        target: app
                        scratch: { server: "postgresql://postgres@127.0.0.1:5432/postgres" }
                        min_tables: 40
                    schedules:
                      nightly: { cron: "0 2 * * *", backup: app }
                      weekly-report: { cron: "0 8 * * MON", runbook: report, params: { days: "14" } }
                      certs: { cron: "0 6,18 * * *", check: web/port }
                      certs-down: { cron: "0 6,18 * * *", check: web/closed }
                      dr-test: { cron: "0 4 1 * *", drill: monthly }
                      dr-fails: { cron: "0 5 1 * *", drill: too-many-tables }
                    """.formatted(listening.getLocalPort(), marker, db, out);
            Path file = Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
            Blueprint bp = new Compiler(new ConfigLoader(new YamlReader(Map.<String, String>of()::get))).load(file);
            OpsdeckConfig config = bp.config();
            try (Store store = ScheduleFixture.embedded(dir.resolve("data"));
                    Backups backups = new Backups(
                            store,
                            config::keep,
                            bp::destinations,
                            dir.resolve("data"),
                            null,
                            registry,
                            Clock.systemUTC());
                    Runbooks runbooks = new Runbooks(
                            store,
                            config::runbooks,
                            bp.runbooks()::get,
                            CheckTypes.standard(),
                            bp.checks()::get,
                            null,
                            run -> {},
                            Clock.systemUTC());
                    Drills drills = new Drills(store, backups, config::keep, null, registry, Clock.systemUTC());
                    Scheduler s = new Scheduler(
                            store,
                            () -> config.keep().schedules(),
                            new StandardTargets(backups, runbooks, bp.checks()::get, drills),
                            null,
                            registry,
                            Clock.systemUTC(),
                            "n1")) {
                // a backup target makes a real, verified backup and links it
                ScheduleRun b = finished(s, s.runNow("nightly", "ops"));
                assertThat(b.status()).as(b.message()).isEqualTo(ScheduleRun.OK);
                Backup backup = backups.get(Long.parseLong(b.ref()));
                assertThat(backup.status()).isEqualTo(Backup.VERIFIED);
                assertThat(out.resolve(backup.fileName())).exists();
                assertThat(b.message()).startsWith("backup " + backup.id() + " verified");

                // a runbook target starts a real run with the schedule's parameters
                ScheduleRun r = finished(s, s.runNow("weekly-report", "ops"));
                assertThat(r.status()).as(r.message()).isEqualTo(ScheduleRun.OK);
                Run run = runbooks.find(r.ref()).orElseThrow();
                assertThat(run.status()).isEqualTo(Run.Status.SUCCEEDED);
                assertThat(run.startedBy()).isEqualTo("ops");
                assertThat(Files.readString(marker).trim()).isEqualTo("days=14");

                // a check target runs the check now: up is ok, down fails with the check's message
                ScheduleRun c = finished(s, s.runNow("certs", "ops"));
                assertThat(c.status()).isEqualTo(ScheduleRun.OK);
                assertThat(c.message()).startsWith("up");
                ScheduleRun down = finished(s, s.runNow("certs-down", "ops"));
                assertThat(down.status()).isEqualTo(ScheduleRun.FAILED);
                assertThat(down.message()).startsWith("down");

                // a drill target restores the latest verified backup and passes only when its checks hold
                ScheduleRun d = finished(s, s.runNow("dr-test", "ops"));
                assertThat(d.status()).as(d.message()).isEqualTo(ScheduleRun.OK);
                DrillResult drill = drills.get(Long.parseLong(d.ref()));
                assertThat(drill.passed()).isTrue();
                assertThat(drill.backupId()).isEqualTo(backup.id());
                assertThat(d.message()).isEqualTo("drill run " + drill.id() + " passed (run now by ops)");
                ScheduleRun df = finished(s, s.runNow("dr-fails", "ops"));
                assertThat(df.status()).isEqualTo(ScheduleRun.FAILED);
                assertThat(df.message())
                        .isEqualTo(
                                "drill run " + df.ref() + " failed: 1 of 1 checks failed: min_tables (run now by ops)");
            } finally {
                bp.checks().values().forEach(CompiledCheck::close);
            }
        } finally {
            Scratch.drop(db);
        }
    }

    /** Two schedules of one backup target fire in the same second: the second waits for the first, then runs. */
    @Test
    void twoSchedulesOfOneBackupTargetFiringTogetherRunOneAfterTheOther() throws Exception {
        String db = Scratch.pgbench(1);
        Path out = Files.createDirectories(dir.resolve("backups"));
        try {
            OpsdeckConfig config = ScheduleFixture.config(dir, """
                    backups:
                      app:
                        url: postgresql://postgres@127.0.0.1:5432/%s
                        destinations: { disk: { type: local, path: %s } }
                    schedules:
                      nightly: { cron: "0 2 * * *", backup: app }
                      nightly-copy: { cron: "0 2 * * *", backup: app }
                    """.formatted(db, out));
            Map<String, List<CompiledDestination>> destinations =
                    new DestinationCompiler(DestinationTypes.standard()).compileAll(config.keep(), new Problems());
            ManualClock clock = new ManualClock(Instant.parse("2026-06-01T01:59:30Z"));
            try (Store store = ScheduleFixture.embedded(dir.resolve("data"));
                    Backups backups = new Backups(
                            store,
                            config::keep,
                            () -> destinations,
                            dir.resolve("data"),
                            null,
                            registry,
                            Clock.systemUTC());
                    Scheduler s = new Scheduler(
                            store,
                            () -> config.keep().schedules(),
                            new StandardTargets(backups, null, id -> null, null),
                            null,
                            registry,
                            clock,
                            "n1")) {
                s.tick(); // both schedules are seen before their slot
                clock.advance(Duration.ofSeconds(30));
                s.tick(); // 02:00: both fire at once
                assertThat(s.awaitIdle(Duration.ofSeconds(120))).isTrue();
                long at = Instant.parse("2026-06-01T02:00:00Z").toEpochMilli();
                ScheduleRun a = s.run("nightly", at).orElseThrow(),
                        b = s.run("nightly-copy", at).orElseThrow();
                assertThat(a.status()).as(a.message()).isEqualTo(ScheduleRun.OK);
                assertThat(b.status()).as(b.message()).isEqualTo(ScheduleRun.OK);
                Backup first = backups.get(Long.parseLong(a.ref())), second = backups.get(Long.parseLong(b.ref()));
                if (first.id() > second.id()) {
                    Backup t = first;
                    first = second;
                    second = t;
                }
                assertThat(first.status()).isEqualTo(Backup.VERIFIED);
                assertThat(second.status()).isEqualTo(Backup.VERIFIED);
                assertThat(second.startedMs()).as("one at a time").isGreaterThanOrEqualTo(first.finishedMs());
                assertThat(second.fileName()).isNotEqualTo(first.fileName());
                assertThat(out.resolve(first.fileName())).exists();
                assertThat(out.resolve(second.fileName())).exists();
            }
        } finally {
            Scratch.drop(db);
        }
    }

    private static ScheduleRun finished(Scheduler s, ScheduleRun started) throws InterruptedException {
        assertThat(s.awaitIdle(Duration.ofSeconds(60))).isTrue();
        return s.run(started.schedule(), started.fireMs()).orElseThrow();
    }
}
