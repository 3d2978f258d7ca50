package dev.opsdeck.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Backups end to end with real parts: a pgbench database on the shared PostgreSQL, the real pg_dump, pg_restore
 * and psql, a real S3 API (s3proxy), the real outbox posting to a real HTTP receiver. Every format is dumped,
 * verified, then restored into a new database whose row counts must match the source.
 */
class BackupTest {
    static String source;
    static S3Proxy s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        source = Scratch.pgbench(1);
        s3 = S3Proxy.start();
        s3.createBucket("backups");
    }

    @AfterAll
    static void tearDown() throws Exception {
        Scratch.drop(source);
        if (s3 != null) s3.close();
    }

    private String yaml(String format, String compression, String extra) {
        return """
                backups:
                  main:
                    url: postgresql://postgres@127.0.0.1:5432/%s
                    format: %s
                    compression: %s
                    notify: [ops]
                %s
                    destinations:
                      disk:
                        type: local
                        path: %s
                      cloud:
                        type: s3
                        bucket: backups
                        prefix: stellar/
                        endpoint: %s
                        path_style: true
                        access_key_id: ${env:S3_KEY}
                        secret_access_key: ${env:S3_SECRET}
                """.formatted(source, format, compression, extra, dir.resolve("disk"), s3.endpoint());
    }

    private KeepFixture fixture(String yaml) throws Exception {
        return new KeepFixture(dir, yaml, Map.of("S3_KEY", S3Proxy.ACCESS_KEY, "S3_SECRET", S3Proxy.SECRET_KEY));
    }

    @Test
    void plainGzipIsDumpedVerifiedInBothDestinationsAndRestores() throws Exception {
        String restored = Scratch.name();
        try (KeepFixture k = fixture(yaml("plain", "gzip", ""))) {
            Backup b = k.backups.create("main");
            assertThat(b.status()).as("error: %s", b.error()).isEqualTo(Backup.VERIFIED);
            assertThat(b.fileName()).matches("main_\\d{8}T\\d{6}Z\\.sql\\.gz");
            assertThat(b.copies())
                    .extracting(Backup.Copy::destination, Backup.Copy::status)
                    .containsExactly(Tuple.tuple("cloud", "verified"), Tuple.tuple("disk", "verified"));
            Path file = dir.resolve("disk").resolve(b.fileName());
            assertThat(Files.size(file)).isEqualTo(b.sizeBytes());
            // what the seed's restore script expects: gzip'd SQL
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                assertThat(new String(in.readNBytes(4096), StandardCharsets.UTF_8))
                        .contains("PostgreSQL database dump");
            }
            // and the seed's own check by hand, with the gzip program: the file is written by ParallelGzip
            Process gzipTest = new ProcessBuilder("gzip", "-t", file.toString())
                    .redirectErrorStream(true)
                    .start();
            assertThat(new String(gzipTest.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                    .isEmpty();
            assertThat(gzipTest.waitFor()).isZero();
            JsonNode manifest = new ObjectMapper()
                    .readTree(dir.resolve("disk")
                            .resolve(b.fileName() + ".manifest.json")
                            .toFile());
            assertThat(manifest.get("sha256").asText()).isEqualTo(b.sha256()).hasSize(64);
            assertThat(manifest.get("database").asText()).isEqualTo(source);
            assertThat(manifest.get("server_version").asText()).startsWith("15.");
            assertThat(manifest.get("pg_dump_version").asText()).startsWith("15.");
            assertThat(manifest.get("format").asText()).isEqualTo("plain");
            assertThat(manifest.get("compression").asText()).isEqualTo("gzip");
            assertThat(manifest.get("size_bytes").asLong()).isEqualTo(b.sizeBytes());
            assertThat(manifest.get("duration_ms").asLong()).isPositive();
            assertThat(manifest.get("opsdeck_version").asText()).isNotEmpty();
            assertThat(b.manifest()).contains(b.sha256());
            try (S3Client c = s3.client()) {
                assertThat(c.headObject(h -> h.bucket("backups").key("stellar/" + b.fileName()))
                                .contentLength())
                        .isEqualTo(b.sizeBytes());
                assertThat(c.headObject(h -> h.bucket("backups").key("stellar/" + b.fileName() + ".manifest.json"))
                                .contentLength())
                        .isPositive();
            }
            assertThat(k.metric("opsdeck_backup_last_success{"))
                    .singleElement()
                    .asString()
                    .endsWith(" 1.0");
            assertThat(k.metric("opsdeck_backup_last_size_bytes{"))
                    .singleElement()
                    .asString()
                    .endsWith(" " + (double) b.sizeBytes());
            assertThat(k.metric("opsdeck_backup_last_success_timestamp_seconds{target=\"main\"}"))
                    .hasSize(1);
            assertThat(promtool(k.registry.scrape()))
                    .as("promtool check metrics")
                    .isEmpty();
            assertThat(k.hooked(b.fileName())).as("webhook names the file").isTrue();
            assertThat(k.hooks)
                    .anySatisfy(
                            h -> assertThat(h).contains("backup.succeeded").contains(String.valueOf(b.sizeBytes())));

            k.backups.restore(b.id(), Scratch.url(restored), false).run(new AtomicLong());
            assertThat(Scratch.count(restored, "pgbench_accounts")).isEqualTo(100_000);
            assertThat(Scratch.count(restored, "pgbench_branches")).isEqualTo(1);
        } finally {
            Scratch.drop(restored);
        }
    }

    /** What {@code promtool check metrics} says about a scrape (empty: nothing to complain about). */
    private static String promtool(String scrape) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (var in = p.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? out.strip() : "exit " + p.exitValue() + ": " + out;
    }

    @Test
    void plainZstdCustomAndParallelDirectoryFormatsRestore() throws Exception {
        for (String[] v : List.of(
                new String[] {"plain", "zstd", "", "\\.sql\\.zst"},
                new String[] {"custom", "gzip", "", "\\.dump"},
                new String[] {"directory", "gzip", "    jobs: 2", "\\.dir\\.tar"})) {
            String restored = Scratch.name();
            try (KeepFixture k = fixture(yaml(v[0], v[1], v[2]))) {
                Backup b = k.backups.create("main");
                assertThat(b.status()).as("%s/%s: %s", v[0], v[1], b.error()).isEqualTo(Backup.VERIFIED);
                assertThat(b.fileName()).matches("main_\\d{8}T\\d{6}Z" + v[3]);
                var result =
                        k.backups.restore(b.id(), Scratch.url(restored), false).run(new AtomicLong());
                assertThat(result.replaced()).isFalse();
                assertThat(Scratch.count(restored, "pgbench_accounts")).as(v[0]).isEqualTo(100_000);
            } finally {
                Scratch.drop(restored);
                Cleanup.deleteTreeQuietly(dir.resolve("disk"));
                Files.deleteIfExists(dir.resolve("opsdeck.db"));
            }
        }
    }

    @Test
    void aRestoreWhoseLocalCopyIsGoneReadsTheVerifiedS3CopyAndFromReadsOnlyTheNamedOne() throws Exception {
        String restored = Scratch.name(), untouched = Scratch.name();
        try (KeepFixture k = fixture(yaml("plain", "gzip", ""))) {
            Backup b = k.backups.create("main");
            assertThat(b.status()).as("error: %s", b.error()).isEqualTo(Backup.VERIFIED);
            Path local = dir.resolve("disk").resolve(b.fileName());
            Files.delete(local);

            // only the local copy, which is gone: the reason, once, and the database is never touched
            Restore fromDisk = k.backups.restore(b.id(), Scratch.url(untouched), false, "disk");
            assertThatThrownBy(() -> fromDisk.run(new AtomicLong()))
                    .isInstanceOf(BackupFailure.class)
                    .hasMessage("the copy of backup " + b.id()
                            + " in disk is not usable; nothing was restored: disk: cannot " + "read " + local
                            + ": no such file");
            assertThat(Scratch.exists(untouched)).isFalse();

            // any copy: the local one is skipped with its reason, the S3 copy is read
            Restore.Result r =
                    k.backups.restore(b.id(), Scratch.url(restored), false).run(new AtomicLong());
            assertThat(r.from()).isEqualTo("cloud");
            assertThat(r.skipped()).containsExactly("disk: cannot read " + local + ": no such file");
            assertThat(Scratch.count(restored, "pgbench_accounts")).isEqualTo(100_000);

            // from the S3 copy by name, and refusals before any work
            Scratch.drop(restored);
            r = k.backups.restore(b.id(), Scratch.url(restored), false, "cloud").run(new AtomicLong());
            assertThat(r.from()).isEqualTo("cloud");
            assertThat(r.skipped()).isEmpty();
            assertThatThrownBy(() -> k.backups.restore(b.id(), Scratch.url(untouched), false, "tape"))
                    .isInstanceOf(BackupFailure.class)
                    .hasMessage("backup target main has no destination 'tape'")
                    .satisfies(e -> assertThat(((BackupFailure) e).fix()).isEqualTo("choose one of: disk, cloud"));

            // verification says the same about the missing copy, and a restore from it is then refused at once
            Backup after = k.backups.verify(b.id());
            assertThat(after.copy("disk").error()).isEqualTo("cannot read " + local + ": no such file");
            assertThatThrownBy(() -> k.backups.restore(b.id(), Scratch.url(untouched), false, "disk"))
                    .isInstanceOf(BackupFailure.class)
                    .hasMessage("backup " + b.id() + " has no verified copy in disk (its copy there is failed)")
                    .satisfies(e ->
                            assertThat(((BackupFailure) e).fix()).isEqualTo("restore from a verified copy: cloud"));

            // no usable copy at all: every copy tried, each with its reason
            try (S3Client c = s3.client()) {
                c.deleteObject(d -> d.bucket("backups").key("stellar/" + b.fileName()));
            }
            Restore any = k.backups.restore(b.id(), Scratch.url(untouched), false);
            assertThatThrownBy(() -> any.run(new AtomicLong()))
                    .isInstanceOf(BackupFailure.class)
                    .hasMessageStartingWith(
                            "the copy of backup " + b.id() + " in cloud is not usable; nothing was restored: "
                                    + "cloud: download from s3://backups/stellar/" + b.fileName() + " at "
                                    + s3.endpoint() + " failed: ");
            assertThat(Scratch.exists(untouched)).isFalse();
        } finally {
            Scratch.drop(restored, untouched);
        }
    }

    @Test
    void zstdInsideACustomArchiveNeedsPgDump16AndSaysSo() throws Exception {
        try (KeepFixture k = fixture(yaml("custom", "zstd", ""))) {
            Backup b = k.backups.create("main");
            assertThat(b.status()).isEqualTo(Backup.FAILED);
            assertThat(b.error())
                    .isEqualTo("zstd inside custom-format archives needs pg_dump 16 or newer; found pg_dump 15.20"
                            + " (fix: use compression: gzip for backups.main, use format: plain (Opsdeck compresses it with zstd itself),"
                            + " or install pg_dump 16 or newer)");
            assertThat(k.metric("opsdeck_backup_failures_total{"))
                    .singleElement()
                    .asString()
                    .endsWith(" 1.0");
            assertThat(k.hooked("backup.failed")).isTrue();
        }
    }

    @Test
    void restoreIntoAnExistingDatabaseIsRefusedWithoutConfirmationAndReplacesItWithIt() throws Exception {
        String existing = Scratch.name();
        Scratch.admin("CREATE DATABASE " + existing);
        try (KeepFixture k = fixture(yaml("custom", "gzip", ""))) {
            Scratch.admin("SELECT 1");
            try (var c =
                    DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + existing, "postgres", null)) {
                c.createStatement().execute("CREATE TABLE keepme (id int)");
            }
            Backup b = k.backups.create("main");
            assertThatThrownBy(() -> k.backups.restore(b.id(), Scratch.url(existing), false))
                    .isInstanceOf(BackupFailure.class)
                    .hasMessage("database \"" + existing
                            + "\" already exists at 127.0.0.1:5432; restoring would replace " + "everything in it")
                    .satisfies(e -> assertThat(((BackupFailure) e).fix())
                            .isEqualTo("confirm to drop and recreate it (CLI "
                                    + "--confirm, API \"confirm\": true), or restore into a new database name"));
            assertThat(Scratch.count(existing, "keepme")).as("untouched").isZero();

            var result = k.backups.restore(b.id(), Scratch.url(existing), true).run(new AtomicLong());
            assertThat(result.replaced()).isTrue();
            assertThat(Scratch.count(existing, "pgbench_accounts")).isEqualTo(100_000);
            assertThatThrownBy(() -> Scratch.count(existing, "keepme")).hasMessageContaining("does not exist");
        } finally {
            Scratch.drop(existing);
        }
    }
}
