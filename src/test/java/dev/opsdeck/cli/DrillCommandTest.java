package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.backup.Scratch;
import dev.opsdeck.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsdeck drill run|list|show} against a real server restoring a real backup into a temporary database. */
class DrillCommandTest {
    @TempDir
    Path dir;

    @Test
    void runListAndShow() throws Exception {
        String source = Scratch.pgbench(1);
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                backups:
                  main:
                    url: %s
                    format: custom
                    destinations:
                      disk: { type: local, path: "%s" }
                drills:
                  monthly:
                    target: main
                    scratch: { server: "postgresql://postgres@127.0.0.1:5432/postgres" }
                    min_tables: 3
                    tables: { pgbench_accounts: { within_percent_of_source: 10 } }
                  strict:
                    target: main
                    scratch: { server: "postgresql://postgres@127.0.0.1:5432/postgres" }
                    assertions:
                      ten_branches: { query: "SELECT count(*) FROM pgbench_branches", expect: ">= 10" }
                """.formatted(
                        dir.resolve("data"), Scratch.url(source), dir.resolve("backups")));
        try (TestServer server = new TestServer(config)) {
            String[] remote = {"--server", server.url(), "--token", server.token};
            assertThat(run(remote, "drill", "list").out())
                    .startsWith("DRILL")
                    .contains("monthly")
                    .contains("never");
            assertThat(run(remote, "backup", "create", "main").code()).isZero();

            CliTest.Run passed = run(remote, "drill", "run", "monthly");
            assertThat(passed.code()).as(passed.out() + passed.err()).isZero();
            assertThat(passed.out())
                    .startsWith("Drill monthly run 1 passed (target main, started by ")
                    .contains("\n  backup 1: main_")
                    .contains("\n  restore (RTO) ")
                    .contains("\n  ok     min_tables: 4 tables, at least 3")
                    .contains("\n  ok     tables.pgbench_accounts.min_rows: pgbench_accounts: 100000 rows, at least 1")
                    .contains(
                            "\n  ok     tables.pgbench_accounts.within_percent_of_source: pgbench_accounts: 100000 rows restored, "
                                    + "100000 in the source 127.0.0.1:5432/" + source + " (0.0% apart, at most 10%)");

            CliTest.Run failed = run(remote, "drill", "run", "strict", "--json");
            assertThat(failed.code()).isEqualTo(Main.FAILED);
            assertThat(failed.out())
                    .contains("\"status\" : \"failed\"")
                    .contains("\"error\" : \"1 of 1 checks failed: " + "assertions.ten_branches\"")
                    .contains("[VALUE]: expected >= 10, got 1");

            CliTest.Run show = run(remote, "drill", "show", "2");
            assertThat(show.code()).isZero();
            assertThat(show.out())
                    .startsWith("Drill strict run 2 failed")
                    .contains("\n  FAILED assertions.ten_branches: " + "[VALUE]: expected >= 10, got 1")
                    .endsWith("\n  1 of 1 checks failed: assertions.ten_branches\n");

            CliTest.Run list = run(remote, "drill", "list");
            assertThat(list.out())
                    .containsPattern("monthly +main +postgresql://postgres@127.0.0.1:5432/postgres +passed \\(run 1\\)")
                    .contains("passed (run 1)")
                    .contains("failed (run 2)");
            assertThat(run(remote, "drill", "run", "nope").err())
                    .contains("404")
                    .contains("no drill 'nope'; configured: " + "monthly, strict");
            assertThat(run(remote, "drill", "show", "99").err()).contains("404").contains("no drill run '99'");
            assertThat(server.server.access().audit().query(AuditLog.Filter.latest(100)))
                    .extracting(AuditLog.Entry::action)
                    .contains("drill.run");
            assertThat(server.server.drills().lastPassedOfTarget("main").id()).isEqualTo(1);
        } finally {
            Scratch.drop(source);
        }
    }

    private static CliTest.Run run(String[] remote, String... args) throws Exception {
        String[] all = new String[args.length + remote.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(remote, 0, all, args.length, remote.length);
        return CliTest.run(all);
    }
}
