package dev.opsdeck.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore drills with real parts: a pgbench database on the shared PostgreSQL backed up by the real pg_dump,
 * restored by psql/pg_restore into a private PostgreSQL (initdb + pg_ctl) or a temporary database on the shared
 * server, checked, recorded, measured and notified through the real outbox. After every drill, passed or failed,
 * the scratch must be gone.
 */
class DrillTest {
    static String source;

    @TempDir
    Path dir;
    /** Scratch instances and fake binaries: as root the instance runs as postgres, which cannot enter {@link #dir}. */
    Path open;

    @BeforeEach
    void openDir() throws Exception {
        open = Files.createTempDirectory("opsdeck-drilltest-");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void removeOpenDir() throws Exception {
        try (var walk = Files.walk(open)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        source = Scratch.pgbench(1);
    }

    @AfterAll
    static void tearDown() throws Exception {
        Scratch.drop(source);
    }

    private String yaml(String format, String drills) {
        return """
                backups:
                  main:
                    url: %s
                    format: %s
                    destinations:
                      disk: { type: local, path: "%s" }
                drills:
                %s
                """.formatted(Scratch.url(source), format, dir.resolve("disk"), drills);
    }

    @Test
    void aPrivateInstanceDrillPassesMeasuresAndIsRemovedAndAFailingOneNamesItsCheck() throws Exception {
        String drills = """
                  monthly:
                    target: main
                    notify: [ops]
                    scratch: { private: true, dir: "%1$s" }
                    min_tables: 3
                    tables:
                      pgbench_accounts: { min_rows: 100000 }
                      pgbench_branches: { within_percent_of_source: 0 }
                    assertions:
                      one_branch: { query: "SELECT count(*) FROM pgbench_branches", expect: "== 1" }
                      rows: { query: "SELECT bid FROM pgbench_branches", expect: "[ROWS] >= 1" }
                  broken:
                    target: main
                    notify: [ops]
                    scratch: { private: true, dir: "%1$s" }
                    min_tables: 40
                    tables:
                      trades: { min_rows: 1 }
                """.formatted(open.resolve("scratch"));
        try (KeepFixture k = new KeepFixture(dir, yaml("plain", drills))) {
            Backup b = k.backups.create("main");
            assertThat(b.status()).as(b.error()).isEqualTo(Backup.VERIFIED);

            DrillResult r = k.drills.run("monthly", "alice");
            assertThat(r.status())
                    .as("error: %s, checks: %s", r.error(), r.checks())
                    .isEqualTo(DrillResult.PASSED);
            assertThat(r.error()).isNull();
            assertThat(r.actor()).isEqualTo("alice");
            assertThat(r.backupId()).isEqualTo(b.id());
            assertThat(r.backupFile()).isEqualTo(b.fileName());
            assertThat(r.restoreMs()).isPositive();
            assertThat(r.rpoMs()).isGreaterThanOrEqualTo(r.startedMs() - b.startedMs() - 1);
            assertThat(r.checks())
                    .extracting(DrillResult.Check::name)
                    .containsExactly(
                            "min_tables",
                            "tables.pgbench_accounts.min_rows",
                            "tables.pgbench_branches.min_rows",
                            "tables.pgbench_branches.within_percent_of_source",
                            "assertions.one_branch",
                            "assertions.rows");
            assertThat(r.checks()).allMatch(DrillResult.Check::passed);
            assertThat(r.checks().get(0).detail()).isEqualTo("4 tables, at least 3");
            assertThat(r.checks().get(1).detail()).isEqualTo("pgbench_accounts: 100000 rows, at least 100000");
            assertThat(r.checks().get(3).detail())
                    .isEqualTo("pgbench_branches: 1 rows restored, 1 in the source 127.0.0.1:5432/" + source
                            + " (0.0% apart, at most 0%)");
            Path instance = Path.of(r.scratch().substring("private:".length()));
            assertThat(instance.getParent()).isEqualTo(open.resolve("scratch"));
            assertThat(instance).doesNotExist();
            assertThat(k.metric("opsdeck_drill_success"))
                    .containsExactly(
                            "opsdeck_drill_success{drill=\"broken\"} NaN",
                            "opsdeck_drill_success{drill=\"monthly\"} 1.0");
            assertThat(k.metric("opsdeck_drill_restore_seconds{drill=\"monthly\"}"))
                    .singleElement()
                    .asString()
                    .doesNotContain("NaN");
            assertThat(k.metric("opsdeck_drill_rpo_seconds{drill=\"monthly\"}"))
                    .singleElement()
                    .asString()
                    .doesNotContain("NaN");
            assertThat(k.metric("opsdeck_drill_last_success_timestamp_seconds{drill=\"monthly\"}"))
                    .singleElement()
                    .asString()
                    .doesNotContain("NaN");
            assertThat(k.hooked("Restore drill monthly passed: " + b.fileName()))
                    .isTrue();

            DrillResult f = k.drills.run("broken", "schedule:monthly-dr");
            assertThat(f.status()).isEqualTo(DrillResult.FAILED);
            assertThat(f.error()).isEqualTo("2 of 2 checks failed: min_tables, tables.trades.min_rows");
            assertThat(f.checks())
                    .extracting(DrillResult.Check::detail)
                    .containsExactly("4 tables, at least 40", "trades: no such table in the restored database");
            assertThat(Path.of(f.scratch().substring("private:".length()))).doesNotExist();
            try (var left = Files.list(open.resolve("scratch"))) {
                assertThat(left.toList()).isEmpty();
            }
            assertThat(k.metric("opsdeck_drill_success{drill=\"broken\"}"))
                    .containsExactly("opsdeck_drill_success{drill=\"broken\"} 0.0");
            assertThat(k.hooked("Restore drill broken failed: " + b.fileName())).isTrue();
            assertThat(k.hooked("tables.trades.min_rows: trades: no such table in the restored database"))
                    .isTrue();

            assertThat(k.drills.list("monthly", 10)).extracting(DrillResult::id).containsExactly(r.id());
            assertThat(k.drills.lastPassed("broken")).isNull();
            assertThat(k.drills.get(f.id())).isEqualTo(f);
        }
    }

    @Test
    void aServerDrillFailsOnItsNamedAssertionAndTheTemporaryDatabaseIsDropped() throws Exception {
        String drills = """
                  on-server:
                    target: main
                    scratch: { server: "postgresql://postgres@127.0.0.1:5432/postgres" }
                    tables:
                      pgbench_accounts: {}
                    assertions:
                      two_branches: { query: "SELECT count(*) FROM pgbench_branches", expect: ">= 2" }
                  too-slow:
                    target: main
                    timeout: 1ms
                    scratch: { server: "postgresql://postgres@127.0.0.1:5432/postgres" }
                    min_tables: 1
                """;
        try (KeepFixture k = new KeepFixture(dir, yaml("custom", drills))) {
            DrillResult none = k.drills.run("on-server", "alice");
            assertThat(none.status()).isEqualTo(DrillResult.FAILED);
            assertThat(none.error())
                    .isEqualTo("target main has no verified backup to restore (fix: take one first: "
                            + "opsdeck backup create main)");
            assertThat(none.scratch()).isNull();

            Backup b = k.backups.create("main");
            assertThat(b.status()).as(b.error()).isEqualTo(Backup.VERIFIED);
            DrillResult r = k.drills.run("on-server", "alice");
            assertThat(r.status()).isEqualTo(DrillResult.FAILED);
            assertThat(r.error()).isEqualTo("1 of 2 checks failed: assertions.two_branches");
            assertThat(r.checks())
                    .containsExactly(
                            new DrillResult.Check(
                                    "tables.pgbench_accounts.min_rows",
                                    true,
                                    "pgbench_accounts: 100000 rows, at least 1"),
                            new DrillResult.Check("assertions.two_branches", false, "[VALUE]: expected >= 2, got 1"));
            assertThat(r.restoreMs()).isPositive();
            assertThat(r.scratch()).matches("server:127\\.0\\.0\\.1:5432/opsdeck_drill_" + r.id() + "_[0-9a-f]{6}");
            assertThat(exists(r.scratch().substring(r.scratch().lastIndexOf('/') + 1)))
                    .isFalse();

            DrillResult slow = k.drills.run("too-slow", "alice");
            assertThat(slow.status()).isEqualTo(DrillResult.FAILED);
            assertThat(slow.error()).startsWith("timed out after 1ms (drills.too-slow.timeout)");
            if (slow.scratch() != null) {
                assertThat(exists(slow.scratch().substring(slow.scratch().lastIndexOf('/') + 1)))
                        .isFalse();
            }
        }
    }

    @Test
    void aDrillAKilledProcessLeftRunningHasItsScratchRemovedAtTheNextStart() throws Exception {
        String drills = """
                  on-server:
                    target: main
                    scratch: { server: "postgresql://postgres@127.0.0.1:5432/postgres" }
                    min_tables: 1
                """;
        String leftover;
        long id;
        try (KeepFixture k = new KeepFixture(dir, yaml("plain", drills))) {
            DrillStore store = new DrillStore(k.store);
            id = store.start("on-server", "main", "alice", System.currentTimeMillis());
            leftover = ScratchServer.name(id);
            Scratch.admin("CREATE DATABASE " + leftover);
            store.scratch(id, "server:127.0.0.1:5432/" + leftover);
        }
        assertThat(exists(leftover)).isTrue();
        try (KeepFixture k = new KeepFixture(dir, yaml("plain", drills))) {
            DrillResult r = k.drills.get(id);
            assertThat(r.status()).isEqualTo(DrillResult.FAILED);
            assertThat(r.error())
                    .isEqualTo("interrupted: Opsdeck stopped while this drill ran; scratch database "
                            + "127.0.0.1:5432/" + leftover + " dropped");
            assertThat(exists(leftover)).isFalse();
        }
    }

    @Test
    void aPrivateInstanceThatCannotStartIsReportedAndLeavesNothing() throws Exception {
        Path fakeBin = Files.createDirectories(open.resolve("bin"));
        for (String tool : List.of("initdb", "pg_ctl")) {
            Path p = Files.writeString(
                    fakeBin.resolve(tool), "#!/bin/sh\necho \"" + tool + ": simulated failure\" >&2\nexit 3\n");
            p.toFile().setExecutable(true, false);
        }
        String drills = """
                  monthly:
                    target: main
                    scratch: { private: true, pg_bin: "%s", dir: "%s" }
                    min_tables: 1
                """.formatted(fakeBin, open.resolve("scratch"));
        try (KeepFixture k = new KeepFixture(dir, yaml("plain", drills))) {
            assertThat(k.backups.create("main").status()).isEqualTo(Backup.VERIFIED);
            DrillResult r = k.drills.run("monthly", "alice");
            assertThat(r.status()).isEqualTo(DrillResult.FAILED);
            assertThat(r.error())
                    .startsWith("cannot start a private PostgreSQL from " + fakeBin + ": initdb exited with 3: "
                            + "initdb: simulated failure (private instance ");
            try (var left = Files.list(open.resolve("scratch"))) {
                assertThat(left.toList()).isEmpty();
            }
        }
    }

    private static boolean exists(String db) throws Exception {
        return Scratch.exists(db);
    }
}
