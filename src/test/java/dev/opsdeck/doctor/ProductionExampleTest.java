package dev.opsdeck.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opsdeck.checklist.BootstrapState;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.config.ServerConfig;
import dev.opsdeck.config.YamlReader;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/production passes the whole checklist on a host laid out as its README says, and
 * docs/production.md names every check doctor runs.
 */
class ProductionExampleTest {
    static final Path EXAMPLE = Path.of("examples", "production");

    @TempDir
    Path dir;

    static OpsdeckConfig load(Path path) {
        Problems problems = new Problems();
        OpsdeckConfig config = new ConfigLoader(new YamlReader(name -> switch (name) {
                    case "DATABASE_URL" -> "postgresql://monitor:example-password@127.0.0.1:5432/app";
                    default -> "example-" + name;
                }))
                .load(path, problems);
        assertThat(problems.sorted()).isEmpty();
        return config;
    }

    /** The same configuration with data_dir somewhere a test may create it. */
    static OpsdeckConfig withDataDir(OpsdeckConfig c, Path dataDir) {
        ServerConfig s = c.server();
        return new OpsdeckConfig(
                new ServerConfig(s.bind(), s.port(), dataDir, s.publicUrl(), s.tls()),
                c.store(),
                c.monitoring(),
                c.runtime(),
                c.auth(),
                c.network(),
                c.paging(),
                c.services(),
                c.runbooks(),
                c.keep(),
                c.files(),
                c.watched(),
                c.literalSecrets(),
                c.credentials(),
                c.checklists());
    }

    @Test
    void passesEveryItemOnAHostLaidOutAsTheReadmeSays() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path etc = Files.createDirectories(dir.resolve("etc/secrets"));
        Files.copy(EXAMPLE.resolve("opsdeck.yaml"), dir.resolve("etc/opsdeck.yaml"));
        Files.copy(EXAMPLE.resolve("checklists.yaml"), dir.resolve("etc/checklists.yaml")); // its include:
        Path secret = Files.copy(
                EXAMPLE.resolve("secrets/opsdeck_db_password"),
                etc.resolve("opsdeck_db_password"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path data = Files.createDirectory(
                dir.resolve("var-lib-opsdeck"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------")); // whatever the umask

        OpsdeckConfig config = withDataDir(load(dir.resolve("etc/opsdeck.yaml")), data);
        assertThat(config.runtime().production()).isTrue();
        List<Finding> findings = Doctor.examine(config, BootstrapState.CHANGED);
        assertThat(findings)
                .allSatisfy(f -> assertThat(f.outcome()).as(f.refusal()).isEqualTo(Finding.Outcome.PASS));
        assertThat(Doctor.productionBlockers(config, BootstrapState.CHANGED)).isEmpty();
    }

    @Test
    void asCommittedOnlyTheHostItemsFail() {
        // git keeps the placeholder secret at 0644 and there is no /var/lib/opsdeck here: those may fail, nothing else
        List<Finding> blockers =
                Doctor.productionBlockers(load(EXAMPLE.resolve("opsdeck.yaml")), BootstrapState.CHANGED);
        assertThat(blockers).extracting(Finding::id).isSubsetOf("data-dir-private", "secret-files-private");
    }

    @Test
    void theChecklistNamesEveryCheck() throws Exception {
        String doc = Files.readString(Path.of("docs", "production.md"));
        List<String> mentioned = Pattern.compile("`([a-z-]+)`")
                .matcher(doc)
                .results()
                .map(r -> r.group(1))
                .toList();
        for (Finding f : Doctor.examine(load(EXAMPLE.resolve("opsdeck.yaml")), BootstrapState.UNKNOWN)) {
            assertThat(mentioned)
                    .as("docs/production.md names check %s", f.id())
                    .contains(f.id());
        }
        assertThat(Files.readString(Path.of("docs", "cli.md"))).contains("### `opsdeck doctor`");
    }
}
