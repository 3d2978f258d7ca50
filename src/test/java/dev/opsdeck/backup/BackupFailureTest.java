package dev.opsdeck.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsdeck.store.PrivatePostgres;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way a backup fails, with real parts and the exact message an operator reads: no pg_dump, an old
 * pg_dump, wrong credentials, no database, a full disk, S3 down or erroring, a corrupted copy, and kill -9.
 */
class BackupFailureTest {
    static String source;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        source = Scratch.pgbench(1);
    }

    @AfterAll
    static void tearDown() throws Exception {
        Scratch.drop(source);
    }

    private String yaml(String url, String extra, Path disk) {
        return """
                backups:
                  main:
                    url: %s
                    notify: [ops]
                %s
                    destinations:
                      disk:
                        type: local
                        path: %s
                """.formatted(url, extra, disk);
    }

    private String yaml(String extra) {
        return yaml(Scratch.url(source), extra, dir.resolve("disk"));
    }

    @Test
    void pgDumpMissing() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        try (KeepFixture k = new KeepFixture(dir, yaml("    pg_bin: " + bin))) {
            Backup b = k.backups.create("main");
            assertThat(b.status()).isEqualTo(Backup.FAILED);
            assertThat(b.error())
                    .isEqualTo("pg_dump not found in " + bin + " (backups.main.pg_bin) (fix: install the "
                            + "PostgreSQL client programs there, or correct backups.main.pg_bin)");
            assertThat(k.hooked("backup.failed")).isTrue();
        }
    }

    @Test
    void pgDumpMissingFromPath() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty-bin"));
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PathLookupChild.class.getName())
                .redirectErrorStream(true);
        pb.environment().put("PATH", empty.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out)
                .isEqualTo("pg_dump not found on PATH (" + empty + ") (fix: install the PostgreSQL client programs "
                        + "of the server's major version (Debian/Ubuntu: apt-get install postgresql-client), or set "
                        + "backups.main.pg_bin to the directory that holds pg_dump)");
    }

    @Test
    void pgDumpOlderThanTheServerGivesBothVersionsAndTheFix() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = Files.writeString(bin.resolve("pg_dump"), "#!/bin/sh\necho 'pg_dump (PostgreSQL) 12.22'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (KeepFixture k = new KeepFixture(dir, yaml("    pg_bin: " + bin))) {
            Backup b = k.backups.create("main");
            assertThat(b.status()).isEqualTo(Backup.FAILED);
            assertThat(b.error())
                    .matches("pg_dump 12\\.22 is older than the server \\(PostgreSQL 15\\.\\d+\\); pg_dump must be "
                            + "the server's major version or newer \\(fix: install the PostgreSQL 15 client programs \\(Debian/Ubuntu: "
                            + "apt-get install postgresql-client-15\\) and set backups\\.main\\.pg_bin to their directory, e\\.g\\. "
                            + "/usr/lib/postgresql/15/bin\\)");
        }
    }

    @Test
    void wrongCredentialsNeverShowThePassword() throws Exception {
        String url = "postgresql://opsdeck_nobody:${env:DB_PASSWORD}@127.0.0.1:5432/" + source;
        try (KeepFixture k =
                new KeepFixture(dir, yaml(url, "", dir.resolve("disk")), Map.of("DB_PASSWORD", "s3cr3t-Pa55"))) {
            Backup b = k.backups.create("main");
            assertThat(b.status()).isEqualTo(Backup.FAILED);
            assertThat(b.error())
                    .isEqualTo("authentication failed for user \"opsdeck_nobody\" at 127.0.0.1:5432/" + source
                            + ": FATAL: role \"opsdeck_nobody\" does not exist (fix: check the user and password in the target's "
                            + "url (and pg_hba.conf on the server))");
            assertThat(k.hooked("opsdeck_nobody")).isTrue();
            assertThat(k.hooks).noneMatch(h -> h.contains("s3cr3t"));
        }
    }

    @Test
    void aWrongPasswordIsRefusedByARealServer() throws Exception {
        Assumptions.assumeTrue(PrivatePostgres.available(), "initdb not installed");
        try (var pg = PrivatePostgres.start("right-Pa55word")) {
            String url = "postgresql://postgres:${env:DB_PASSWORD}@127.0.0.1:" + pg.port() + "/postgres";
            try (KeepFixture k =
                    new KeepFixture(dir, yaml(url, "", dir.resolve("disk")), Map.of("DB_PASSWORD", "wrong-Pa55word"))) {
                Backup b = k.backups.create("main");
                assertThat(b.status()).isEqualTo(Backup.FAILED);
                assertThat(b.error())
                        .isEqualTo("authentication failed for user \"postgres\" at 127.0.0.1:" + pg.port()
                                + "/postgres: FATAL: password authentication failed for user \"postgres\" (fix: check the user and "
                                + "password in the target's url (and pg_hba.conf on the server))");
                assertThat(k.hooked("password authentication failed")).isTrue();
                assertThat(k.hooks).noneMatch(h -> h.contains("Pa55word"));
            }
            // the right password works: the refusal above was about the password, nothing else
            Cleanup.deleteTreeQuietly(dir.resolve("disk"));
            Files.deleteIfExists(dir.resolve("opsdeck.db"));
            try (KeepFixture k =
                    new KeepFixture(dir, yaml(url, "", dir.resolve("disk")), Map.of("DB_PASSWORD", "right-Pa55word"))) {
                Backup b = k.backups.create("main");
                assertThat(b.status()).as(b.error()).isEqualTo(Backup.VERIFIED);
            }
        }
    }

    @Test
    void databaseUnreachable() throws Exception {
        int port = S3Proxy.freePort();
        try (KeepFixture k = new KeepFixture(
                dir, yaml("postgresql://postgres@127.0.0.1:" + port + "/app", "", dir.resolve("disk")))) {
            Backup b = k.backups.create("main");
            assertThat(b.status()).isEqualTo(Backup.FAILED);
            assertThat(b.error())
                    .startsWith("cannot connect to 127.0.0.1:" + port + "/app: Connection to 127.0.0.1:" + port
                            + " refused.")
                    .endsWith("(fix: check that PostgreSQL is running and reachable from this host (host, "
                            + "port, firewall))");
        }
    }

    /** A real full disk: a 256 KiB tmpfs as the destination (needs root, as on these machines and CI). */
    @Test
    void diskFullMidDumpFailsAndLeavesNoPartialFile() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(mount.getInputStream().readAllBytes());
        assumeTrue(
                mount.waitFor() == 0, "cannot mount a tmpfs here (" + out.strip() + "); the disk-full test needs root");
        try (KeepFixture k = new KeepFixture(dir, yaml(Scratch.url(source), "    level: 1", small))) {
            Backup b = k.backups.create("main");
            assertThat(b.status()).isEqualTo(Backup.FAILED);
            assertThat(b.error())
                    .isEqualTo("writing " + small.resolve("." + b.fileName() + ".partial") + " failed: No space "
                            + "left on device; the partial file was removed (fix: free space in " + small
                            + " or choose another "
                            + "destination path)");
            try (Stream<Path> left = Files.list(small)) {
                assertThat(left.toList()).isEmpty();
            }
            assertThat(k.hooked("No space left on device")).as("alerted").isTrue();
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor();
        }
    }

    @Test
    void s3UnreachableKeepsTheLocalCopyRetriesAndAlerts() throws Exception {
        int port = S3Proxy.freePort();
        String yaml = yaml(Scratch.url(source), "", dir.resolve("disk"))
                + """
                      cloud:
                        type: s3
                        bucket: backups
                        endpoint: http://127.0.0.1:%d
                        path_style: true
                        access_key_id: %s
                        secret_access_key: %s
                """.formatted(port, S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY);
        try (KeepFixture k = new KeepFixture(dir, yaml)) {
            Backup b = k.backups.create("main");
            assertThat(b.status()).isEqualTo(Backup.INCOMPLETE);
            assertThat(b.copy("disk").status()).isEqualTo(Backup.VERIFIED);
            Backup.Copy cloud = b.copy("cloud");
            assertThat(cloud.status()).isEqualTo("pending");
            assertThat(cloud.attempts()).isEqualTo(3);
            assertThat(cloud.error())
                    .startsWith("attempt 3: upload to s3://backups/" + b.fileName() + " at http://127.0.0.1:" + port
                            + " failed: ");
            assertThat(b.error()).startsWith("cloud: attempt 3: upload to");
            assertThat(Files.exists(dir.resolve("disk").resolve(b.fileName()))).isTrue();
            assertThat(k.hooked("backup.failed")).isTrue();
            assertThat(k.metric("opsdeck_backup_last_success{"))
                    .singleElement()
                    .asString()
                    .endsWith(" 0.0");

            try (S3Proxy s3 = S3Proxy.start(port)) {
                s3.createBucket("backups");
                Thread.sleep(1_500); // past the next attempt time (20 ms base, x4 per attempt)
                k.backups.retryUploads();
                Backup after = k.backups.get(b.id());
                assertThat(after.status()).as("error: %s", after.error()).isEqualTo(Backup.VERIFIED);
                assertThat(after.copy("cloud").attempts()).isEqualTo(4);
                assertThat(k.hooked("backup.succeeded")).isTrue();
            }
        }
    }

    @Test
    void s3ErrorsAreRecordedOnTheCopy() throws Exception {
        try (S3Proxy s3 = S3Proxy.start()) {
            String yaml = yaml(Scratch.url(source), "", dir.resolve("disk"))
                    + """
                          cloud:
                            type: s3
                            bucket: no-such-bucket
                            endpoint: %s
                            path_style: true
                            access_key_id: %s
                            secret_access_key: %s
                    """.formatted(s3.endpoint(), S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY);
            try (KeepFixture k = new KeepFixture(dir, yaml)) {
                Backup b = k.backups.create("main");
                assertThat(b.status()).isEqualTo(Backup.INCOMPLETE);
                assertThat(b.copy("cloud").error())
                        .startsWith("attempt 3: upload to s3://no-such-bucket/" + b.fileName() + " at " + s3.endpoint()
                                + " failed: The specified bucket does not exist");
            }
        }
    }

    @Test
    void aCorruptedCopyFailsVerification() throws Exception {
        try (KeepFixture k = new KeepFixture(dir, yaml(""))) {
            Backup b = k.backups.create("main");
            assertThat(b.status()).isEqualTo(Backup.VERIFIED);
            Path file = dir.resolve("disk").resolve(b.fileName());
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.seek(f.length() / 2);
                int v = f.read();
                f.seek(f.length() / 2);
                f.write(v ^ 0xFF);
            }
            String actual;
            try (var in = Files.newInputStream(file)) {
                actual = Hashing.of(in);
            }
            Backup after = k.backups.verify(b.id());
            assertThat(after.status()).isEqualTo(Backup.FAILED);
            assertThat(after.copy("disk").status()).isEqualTo(Backup.FAILED);
            assertThat(after.error())
                    .isEqualTo("disk: checksum mismatch in " + file + ": expected sha256 " + b.sha256() + ", read "
                            + actual);
            assertThat(k.hooked("checksum mismatch")).isTrue();
            assertThat(k.metric("opsdeck_backup_last_success{"))
                    .singleElement()
                    .asString()
                    .endsWith(" 0.0");
        }
    }

    @Test
    void killNineMidBackupIsNeverSuccessfulAndItsFilesAreCleanedAtTheNextStart() throws Exception {
        String big = Scratch.pgbench(4);
        try {
            Path disk = dir.resolve("disk");
            Path yamlFile = Files.writeString(dir.resolve("child.yaml"), yaml(Scratch.url(big), "    level: 9", disk));
            Process child = new ProcessBuilder(List.of(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-XX:TieredStopAtLevel=1",
                            "-Xmx256m",
                            "--enable-native-access=ALL-UNNAMED",
                            "-DOPSDECK_LOG_LEVEL=WARN",
                            "-cp",
                            System.getProperty("java.class.path"),
                            BackupKillNineChild.class.getName(),
                            dir.toString(),
                            yamlFile.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.log").toFile())
                    .start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (!partialIn(disk) && child.isAlive() && System.currentTimeMillis() < deadline) Thread.sleep(10);
            assertThat(partialIn(disk))
                    .as("the dump had started (%s)", Files.readString(dir.resolve("child.log")))
                    .isTrue();
            Thread.sleep(300);
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(partialIn(disk))
                    .as("the killed process left its partial file")
                    .isTrue();

            long id;
            try (KeepFixture k = new KeepFixture(dir, Files.readString(yamlFile))) {
                List<Backup> list = k.backups.list("main", 10);
                assertThat(list).singleElement().satisfies(b -> {
                    assertThat(b.status()).isEqualTo(Backup.FAILED);
                    assertThat(b.error())
                            .isEqualTo("interrupted: Opsdeck stopped while this backup ran; its temporary "
                                    + "files were removed at the next start");
                });
                id = list.getFirst().id();
                assertThat(partialIn(disk)).as("cleaned at start").isFalse();
                try (Stream<Path> files = Files.list(disk)) {
                    assertThat(files.toList()).isEmpty();
                }
                // a failure like any other: the channels are told and the failure is counted
                assertThat(k.hooked("interrupted: Opsdeck stopped while this backup ran"))
                        .as("webhook")
                        .isTrue();
                assertThat(k.hooks).singleElement().asString().contains("backup.failed");
                assertThat(k.metric("opsdeck_backup_failures_total{"))
                        .singleElement()
                        .asString()
                        .endsWith(" 1.0");
                assertThat(k.metric("opsdeck_backup_last_success{"))
                        .singleElement()
                        .asString()
                        .endsWith(" 0.0");
            }
            // the next start finds nothing left to tell: still one message, nothing counted again
            try (KeepFixture k = new KeepFixture(dir, Files.readString(yamlFile))) {
                assertThat(k.outbox.deliveriesFor("backup-" + id + "-"))
                        .singleElement()
                        .satisfies(d -> assertThat(d.template()).isEqualTo("backup.failed"));
                Thread.sleep(1_000); // time for a wrong second delivery to arrive
                assertThat(k.hooks).isEmpty();
                assertThat(k.metric("opsdeck_backup_failures_total{"))
                        .singleElement()
                        .asString()
                        .endsWith(" 0.0");
            }
        } finally {
            Scratch.drop(big);
        }
    }

    @Test
    void aBackupLeftRunningIsToldOnceAlsoWhenTheLastStartDiedAfterQueueingTheMessage() throws Exception {
        long id;
        try (KeepFixture k = new KeepFixture(dir, yaml("").replace("notify: [ops]", "notify: [ops, ops2]"))) {
            id = new BackupStore(k.store).start("main", "main_20260101T000000Z.sql.gz", System.currentTimeMillis());
        }
        try (KeepFixture k = new KeepFixture(dir, yaml("").replace("notify: [ops]", "notify: [ops, ops2]"))) {
            assertThat(k.backups.get(id).status()).isEqualTo(Backup.FAILED);
            // each channel is told, not only the first
            assertThat(k.hooked("interrupted: Opsdeck stopped while this backup ran"))
                    .isTrue();
            for (int i = 0; i < 200 && k.hooks2.isEmpty(); i++) Thread.sleep(50);
            assertThat(k.hooks).singleElement().asString().contains("backup.failed");
            assertThat(k.hooks2).singleElement().asString().contains("backup.failed");
            assertThat(k.metric("opsdeck_backup_failures_total{"))
                    .singleElement()
                    .asString()
                    .endsWith(" 1.0");

            // a start that queued the messages and died before marking the row: the next one sends nothing again
            new BackupStore(k.store).status(id, Backup.RUNNING, null, null, System.currentTimeMillis());
            k.backups.recover();
            assertThat(k.backups.get(id).status()).isEqualTo(Backup.FAILED);
            assertThat(k.outbox.deliveriesFor("backup-" + id + "-")).hasSize(2);
            Thread.sleep(1_000); // time for a wrong second delivery to arrive
            assertThat(k.hooks).hasSize(1);
            assertThat(k.hooks2).hasSize(1);
        }
    }

    @Test
    void retentionDryRunListsWhatWouldGoAndTheRealRunDeletesIt() throws Exception {
        try (KeepFixture k = new KeepFixture(
                dir,
                yaml("").replace(
                                "        path: " + dir.resolve("disk"),
                                "        path: " + dir.resolve("disk") + "\n        keep_last: 2"))) {
            List<Backup> made = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                made.add(k.backups.create("main"));
                Thread.sleep(1_100); // file names carry the second
            }
            // each backup applies retention after it is verified: the first is already gone
            assertThat(k.backups.get(made.get(0).id()).status()).isEqualTo(Backup.EXPIRED);
            assertThat(Files.exists(dir.resolve("disk").resolve(made.get(0).fileName())))
                    .isFalse();
            assertThat(Files.exists(dir.resolve("disk").resolve(made.get(0).fileName() + ".manifest.json")))
                    .isFalse();
            assertThat(k.backups.retention("main", true)).isEmpty();
        }
        // a stricter rule after a reload: the dry run lists, deletes nothing; the real run deletes
        try (KeepFixture k = new KeepFixture(
                dir,
                yaml("").replace(
                                "        path: " + dir.resolve("disk"),
                                "        path: " + dir.resolve("disk") + "\n        keep_last: 1"))) {
            List<Backup> list = k.backups.list("main", 10);
            List<Backups.Expired> plan = k.backups.retention("main", true);
            assertThat(plan).singleElement().satisfies(e -> {
                assertThat(e.backupId()).isEqualTo(list.get(1).id());
                assertThat(e.destination()).isEqualTo("disk");
                assertThat(e.location())
                        .isEqualTo(dir.resolve("disk")
                                .resolve(list.get(1).fileName())
                                .toString());
            });
            assertThat(Files.exists(dir.resolve("disk").resolve(list.get(1).fileName())))
                    .isTrue();
            assertThat(k.backups.retention("main", false)).hasSize(1);
            assertThat(Files.exists(dir.resolve("disk").resolve(list.get(1).fileName())))
                    .isFalse();
            assertThat(Files.exists(dir.resolve("disk").resolve(list.get(0).fileName())))
                    .isTrue();
        }
    }

    private static boolean partialIn(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".partial"));
        }
    }
}
