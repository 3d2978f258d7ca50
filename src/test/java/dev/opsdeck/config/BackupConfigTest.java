package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backups:}: a full target is read as written; every mistake is reported at once with its position. */
class BackupConfigTest {
    /** A target with every kind of destination, the S3 one with most of its keys. */
    private static final String FULL_TARGET = """
                backups:
                  app:
                    url: postgresql://backup:${env:PW}@db.internal:5432/app
                    format: directory
                    jobs: 4
                    compression: zstd
                    timeout: 2h
                    notify: [ops]
                    destinations:
                      disk: { type: local, path: /var/backups/opsdeck, keep_last: 7, max_age: 30d }
                      offsite:
                        type: s3
                        bucket: b
                        prefix: pg/
                        endpoint: https://s3.example.com
                        path_style: true
                        storage_class: STANDARD_IA
                        server_side_encryption: aws:kms
                        kms_key_id: key-1
                        access_key_id: ${env:KEY}
                        secret_access_key: ${env:SECRET}
                """;

    @TempDir
    Path dir;

    /** Loads and compiles, as {@code opsdeck config check} does: the destination types read their own keys. */
    private static Blueprint compile(Path dir, String yaml) throws IOException, ConfigException {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), yaml);
        return new Compiler(new ConfigLoader(
                        new YamlReader(Map.of("PW", "pa55", "KEY", "k", "SECRET", "secret-value-xyz")::get)))
                .load(file);
    }

    private List<String> problems(String yaml) throws IOException {
        try {
            compile(dir, yaml);
            return List.of();
        } catch (ConfigException e) {
            return e.problems().stream()
                    .map(p -> p.toString().replace(dir + "/", ""))
                    .toList();
        }
    }

    @Test
    void aFullTargetIsReadAsWritten() throws IOException, ConfigException {
        OpsdeckConfig c = compile(dir, FULL_TARGET).config();
        assertThat(c.literalSecrets()).isEmpty();
        BackupDef b = c.keep().backups().get("app");
        assertThat(b.format()).isEqualTo("directory");
        assertThat(b.jobs()).isEqualTo(4);
        assertThat(b.level())
                .as("zstd's default level: 1, chosen for speed (docs/backups.md)")
                .isEqualTo(1);
        assertThat(b.timeout()).isEqualTo(Duration.ofHours(2));
        assertThat(b.channels()).containsExactly("ops");
        assertThat(b.display()).isEqualTo("postgresql://backup:***@db.internal:5432/app");
        assertThat(b.toString()).doesNotContain("pa55");
        assertThat(b.destinations()).extracting(DestinationDef::name).containsExactly("disk", "offsite");
        assertThat(b.destinations().get(0).keepLast()).isEqualTo(7);
        assertThat(b.destinations().get(0).maxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(b.destinations()).extracting(DestinationDef::type).containsExactly("local", "s3");
        assertThat(b.toString()).doesNotContain("secret-value-xyz");
        // the S3 keys themselves are read by their type: backup.S3DestinationTypeTest
    }

    @Test
    void everyMistakeIsReportedWithItsPosition() throws IOException {
        assertThat(problems("""
                backups:
                  app:
                    url: mysql://db/app
                    format: tar
                    jobs: 4
                    compression: zstd
                    level: 22
                    destinations:
                      disk: { type: local, path: backups, keep_last: 0 }
                      offsite: { type: s3, prefix: /pg, kms_key_id: k, access_key_id: x, part_size: 1MB }
                      ftp: { type: ftp }
                  bad.name:
                    url: postgresql://db/app
                """))
                .containsExactly(
                        "opsdeck.yaml:3:10: backups.app.url: not a postgresql:// URL (hint: postgresql://user:${env:DB_PASSWORD}@host:5432/db)",
                        "opsdeck.yaml:4:13: backups.app.format: unknown value \"tar\" (hint: one of plain, custom, directory)",
                        "opsdeck.yaml:5:11: backups.app.jobs: parallel jobs need format: directory (hint: pg_dump dumps in parallel only into a directory; remove jobs or set format: directory)",
                        "opsdeck.yaml:7:12: backups.app.level: 22 is out of range (hint: use a whole number from 1 to 19)",
                        "opsdeck.yaml:9:34: backups.app.destinations.disk.path: must be an absolute path, got \"backups\" (hint: e.g. /var/backups/opsdeck)",
                        "opsdeck.yaml:9:54: backups.app.destinations.disk.keep_last: 0 is out of range (hint: use a whole number from 1 to 10000)",
                        "opsdeck.yaml:10:16: backups.app.destinations.offsite: missing required key 'bucket'",
                        "opsdeck.yaml:10:16: backups.app.destinations.offsite: access_key_id and secret_access_key go together (hint: set both, or neither to use the AWS default credentials (environment, profile, instance role))",
                        "opsdeck.yaml:10:36: backups.app.destinations.offsite.prefix: must not start with '/' (hint: write backups/db/)",
                        "opsdeck.yaml:10:53: backups.app.destinations.offsite.kms_key_id: only used with server_side_encryption: aws:kms",
                        "opsdeck.yaml:10:85: backups.app.destinations.offsite.part_size: must be at least 5MiB (the S3 minimum part)",
                        "opsdeck.yaml:11:20: backups.app.destinations.ftp.type: unknown value \"ftp\" (hint: one of local, s3)",
                        "opsdeck.yaml:12:3: backup name 'bad.name' is not allowed (hint: use letters, digits, '_' or '-', starting with a letter or digit)",
                        "opsdeck.yaml:13:5: backups.bad.name: missing required key 'destinations' (hint: at least one, e.g. destinations: { disk: { type: local, path: /var/backups/opsdeck } })");
    }
}
