package dev.opsdeck.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.blueprint.Blueprint;
import dev.opsdeck.blueprint.Compiler;
import dev.opsdeck.config.ConfigException;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: s3} and {@code type: local}: their keys are read as written when the configuration is compiled. */
class S3DestinationTypeTest {
    @TempDir
    Path dir;

    @Test
    void anS3DestinationIsReadAsWritten() throws IOException, ConfigException {
        Path file = Files.writeString(dir.resolve("opsdeck.yaml"), """
                backups:
                  app:
                    url: postgresql://backup:${env:PW}@db.internal:5432/app
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
                """);
        Blueprint bp = new Compiler(new ConfigLoader(
                        new YamlReader(Map.of("PW", "pa55", "KEY", "k", "SECRET", "secret-value-xyz")::get)))
                .load(file);
        List<CompiledDestination> destinations = bp.destinations().get("app");
        assertThat(destinations).extracting(CompiledDestination::name).containsExactly("disk", "offsite");
        assertThat(destinations)
                .extracting(CompiledDestination::where)
                .containsExactly("/var/backups/opsdeck", "s3://b/pg/");
        assertThat(destinations.get(0).directory()).isEqualTo(Path.of("/var/backups/opsdeck"));
        assertThat(destinations.get(1).directory()).isNull();
        try (S3Destination d = (S3Destination) destinations.get(1).open()) {
            S3Destination.Settings s3 = d.settings();
            assertThat(s3.endpoint()).hasToString("https://s3.example.com");
            assertThat(s3.encryption()).isEqualTo("aws:kms");
            assertThat(s3.partSize()).isEqualTo(64L << 20);
            assertThat(s3.secretAccessKey()).isEqualTo("secret-value-xyz");
            assertThat(s3.toString()).doesNotContain("secret-value-xyz");
        }
    }
}
