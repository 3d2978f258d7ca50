package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.audit.AuditLog;
import dev.opsdeck.backup.Scratch;
import dev.opsdeck.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsdeck backup create|list|verify|restore|prune} against a real server backing up a real database. */
class BackupCommandTest {
    @TempDir
    Path dir;

    @Test
    void createListVerifyRestoreAndPrune() throws Exception {
        String source = Scratch.pgbench(1), restored = Scratch.name();
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                backups:
                  main:
                    url: %s
                    destinations:
                      disk: { type: local, path: "%s", keep_last: 3 }
                """.formatted(
                        dir.resolve("data"), Scratch.url(source), dir.resolve("backups")));
        try (TestServer server = new TestServer(config)) {
            String[] remote = {"--server", server.url(), "--token", server.token};
            assertThat(run(remote, "backup", "list").out())
                    .startsWith("TARGET")
                    .contains("main")
                    .contains("never");

            CliTest.Run create = run(remote, "backup", "create", "main");
            assertThat(create.code()).as(create.err()).isZero();
            assertThat(create.out())
                    .matches("(?s)Backup 1 of main verified: main_\\d{8}T\\d{6}Z\\.sql\\.gz, [0-9.]+[KM]B, .*, "
                            + "sha256 [0-9a-f]{64}\\n");
            assertThat(create.err()).contains("backup 1 of main: ");

            assertThat(run(remote, "backup", "list", "main").out())
                    .startsWith("ID")
                    .contains("verified")
                    .contains("disk:verified");
            CliTest.Run verify = run(remote, "backup", "verify", "main", "1");
            assertThat(verify.code()).as(verify.err()).isZero();
            assertThat(verify.out()).isEqualTo("Backup 1 of main: verified\n");

            CliTest.Run refused = run(remote, "backup", "restore", "main", "1", "--to", Scratch.url(source));
            assertThat(refused.code()).isEqualTo(Main.FAILED);
            assertThat(refused.err())
                    .contains("409")
                    .contains(
                            "database \"" + source + "\" already exists at 127.0.0.1:5432; "
                                    + "restoring would replace everything in it (fix: confirm to drop and recreate it (CLI --confirm");
            assertThat(run(remote, "backup", "restore", "main", "1").code()).isEqualTo(Main.INVALID);

            CliTest.Run restore = run(remote, "backup", "restore", "main", "1", "--to", Scratch.url(restored));
            assertThat(restore.code()).as(restore.err()).isZero();
            assertThat(restore.out()).startsWith("Restored backup 1 of main into 127.0.0.1:5432/" + restored + " in ");
            assertThat(restore.out()).endsWith(", read from disk.\n");
            assertThat(Scratch.count(restored, "pgbench_accounts")).isEqualTo(100_000);
            CliTest.Run from = run(
                    remote,
                    "backup",
                    "restore",
                    "main",
                    "1",
                    "--to",
                    Scratch.url(restored),
                    "--confirm",
                    "--from",
                    "disk");
            assertThat(from.code()).as(from.err()).isZero();
            CliTest.Run noSuch =
                    run(remote, "backup", "restore", "main", "1", "--to", Scratch.url(restored), "--from", "tape");
            assertThat(noSuch.code()).isEqualTo(Main.FAILED);
            assertThat(noSuch.err())
                    .contains("409")
                    .contains("backup target main has no destination 'tape' (fix: choose " + "one of: disk)");

            CliTest.Run prune = run(remote, "backup", "prune", "main", "--dry-run");
            assertThat(prune.out()).isEqualTo("Would delete 0 copies (dry run: nothing was deleted).\n");
            assertThat(run(remote, "backup", "create", "nope").err())
                    .contains("404")
                    .contains("no backup target 'nope'; " + "configured: main");

            assertThat(server.server.access().audit().query(AuditLog.Filter.latest(100)))
                    .extracting(AuditLog.Entry::action)
                    .contains("backup.create", "backup.verify", "restore.refused", "restore.start", "restore.finish");
            assertThat(server.server
                            .access()
                            .audit()
                            .query(AuditLog.Filter.latest(100))
                            .toString())
                    .doesNotContain("password");
        } finally {
            Scratch.drop(source, restored);
        }
    }

    private static CliTest.Run run(String[] remote, String... args) throws Exception {
        String[] all = new String[args.length + remote.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(remote, 0, all, args.length, remote.length);
        return CliTest.run(all);
    }
}
