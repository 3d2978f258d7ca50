package dev.opsdeck.probe.types;

import static dev.opsdeck.probe.types.TestChecks.observe;
import static dev.opsdeck.probe.types.TestChecks.problems;
import static dev.opsdeck.probe.types.TestChecks.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckTest {
    @TempDir
    Path dir;

    @Test
    void measuresTypeModeOwnerSizeAndAge() throws Exception {
        Path file = Files.writeString(dir.resolve("jwt.key"), "0123456789");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Observation o = observe("type: file\npath: " + file);
        assertThat(o.failure()).isNull();
        assertThat(o.get("EXISTS")).isEqualTo(true);
        assertThat(o.get("TYPE")).isEqualTo("file");
        assertThat(o.get("MODE")).isEqualTo("0600");
        assertThat(o.get("OWNER")).isEqualTo(Files.getOwner(file).getName());
        assertThat(o.get("SIZE")).isEqualTo(new Observation.Size(10));
        assertThat((Duration) o.get("AGE")).isBetween(Duration.ofMinutes(119), Duration.ofMinutes(121));
        assertThat(o.get("PATH")).isEqualTo(file.toString());

        CheckResult r = run("""
                type: file
                path: %s
                conditions: ["[MODE] == 0600", "[TYPE] == file", "[SIZE] < 1KB", "[AGE] > 1h", "[OWNER] == %s"]
                """.formatted(file, Files.getOwner(file).getName()));
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        assertThat(r.values()).containsEntry("MODE", "0600").containsEntry("PATH", file.toString());

        r = run("type: file\npath: " + file + "\nconditions: [\"[MODE] == any(0400, 0440)\", \"[MODE] != 0600\"]");
        assertThat(r.message())
                .isEqualTo("[MODE]: expected any(0400, 0440), got \"0600\"; [MODE]: expected != 0600, got \"0600\"");
    }

    @Test
    void aMissingFileIsAMeasurementNotAFailure() {
        Path gone = dir.resolve(".initial-admin-password");
        CheckResult r = run("type: file\npath: " + gone + "\nconditions: [\"[EXISTS] == false\"]");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        assertThat(r.values()).containsEntry("EXISTS", false).containsEntry("PATH", gone.toString());

        r = run("type: file\npath: " + gone);
        assertThat(r.message()).isEqualTo("[EXISTS]: expected true, got false");
        r = run("type: file\npath: " + gone + "\nconditions: [\"[MODE] == 0600\"]");
        assertThat(r.message()).isEqualTo("[MODE]: no such file: " + gone);
    }

    @Test
    void aPathBelowAFileDoesNotExist() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        CheckResult r = run("type: file\npath: " + file.resolve("inner") + "\nconditions: [\"[SIZE] > 0\"]");
        assertThat(r.message()).isEqualTo("[SIZE]: no such file: " + file.resolve("inner"));
    }

    @Test
    void directoriesAndLinks() throws Exception {
        Path target = Files.writeString(dir.resolve("target.yml"), "a: 1\n");
        Path link = Files.createSymbolicLink(dir.resolve("current.yml"), target);
        assertThat(observe("type: file\npath: " + dir).get("TYPE")).isEqualTo("directory");
        assertThat(observe("type: file\npath: " + link).get("TYPE")).isEqualTo("file");
        assertThat(observe("type: file\npath: " + link + "\nfollow_links: false")
                        .get("TYPE"))
                .isEqualTo("link");

        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThat(observe("type: file\npath: " + dangling).get("EXISTS")).isEqualTo(false);
        assertThat(observe("type: file\npath: " + dangling + "\nfollow_links: false")
                        .get("EXISTS"))
                .isEqualTo(true);

        CheckResult r = run("type: file\npath: " + dir + "\ncontains: x");
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo(dir + " is a directory, not a file");
    }

    @Test
    void containsGivesTheFirstMatchingLine() throws Exception {
        Path conf = Files.writeString(dir.resolve("opsdeck.service"), """
                [Service]
                NoNewPrivileges=true
                ProtectSystem=strict
                ProtectSystem=full
                """);
        CheckResult r = run("type: file\npath: " + conf + "\ncontains: ProtectSystem=");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        assertThat(r.values()).containsEntry("CONTAINS", true).containsEntry("LINE", 3L);

        r = run("type: file\npath: " + conf + "\ncontains: 'regex:^ProtectSystem=(full|strict)$'\n"
                + "conditions: [\"[LINE] == 3\"]");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);

        r = run("type: file\npath: " + conf + "\ncontains: DynamicUser=yes");
        assertThat(r.message()).isEqualTo("[CONTAINS]: expected true, got false");
        r = run("type: file\npath: " + conf + "\ncontains: DynamicUser=yes\nconditions: [\"[CONTAINS] == false\"]");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
    }

    @Test
    void containsRefusesABinaryFile() throws Exception {
        Path bin = Files.write(dir.resolve("core"), new byte[] {'E', 'L', 'F', 0, 1, 2});
        CheckResult r = run("type: file\npath: " + bin + "\ncontains: ELF");
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo(bin + " is a binary file (a NUL byte at offset 3); contains needs text");
    }

    @Test
    void aFileOverTheReadLimitIsRefusedWithoutReadingItAll() throws Exception {
        Path big = dir.resolve("huge.log");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(FileContent.MAX_BYTES + 1L); // sparse: costs no disk
        }
        CheckResult r = run("type: file\npath: " + big + "\ncontains: ERROR");
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo(big + " is larger than 8MiB, the most a file check reads");
        assertThat(r.values()).containsEntry("SIZE", FileContent.MAX_BYTES + 1L); // the stat is still evidence
        assertThat(run("type: file\npath: " + big + "\nconditions: [\"[SIZE] > 8MiB\"]")
                        .status())
                .isEqualTo(Status.UP); // without contains nothing is read
    }

    @Test
    void anUnreadableFileIsPermissionDenied() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads every file");
        Path secret = Files.writeString(dir.resolve("secret.yml"), "a: 1\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        CheckResult r = run("type: file\npath: " + secret + "\ncontains: a");
        assertThat(r.message()).isEqualTo("permission denied: " + secret);
    }

    @Test
    void configurationErrorsArePositioned() {
        assertThat(problems("type: file\nconditions: [\"[EXISTS]\"]"))
                .containsExactly("file:5:9: services.x.checks.y: missing required key 'path'"
                        + " (hint: write path: /etc/app/app.yml)");
        assertThat(problems("type: file\npath: etc/app.yml"))
                .containsExactly("file:6:15: services.x.checks.y.path: must be an absolute path, got \"etc/app.yml\""
                        + " (hint: the check runs wherever opsdeck was started; write the whole path from /)");
        assertThat(problems("type: file\npath: /etc/app.yml\ncontains: 'regex:[a-'"))
                .containsExactly("file:7:19: services.x.checks.y.contains: invalid regular expression:"
                        + " Illegal character range at character 3"
                        + " (hint: Java regular expression syntax; without regex: the text is searched as written)");
        assertThat(problems("type: file\npath: /etc/app.yml\nyaml_path: a.b\njson_path: a.b"))
                .containsExactly("file:8:20: services.x.checks.y: yaml_path and json_path cannot be combined"
                        + " (hint: a check reads one value; write one check for each)");
        assertThat(problems("type: file\npath: /etc/app.yml\nyaml_path: a.b\ncontains: x"))
                .containsExactly("file:8:19: services.x.checks.y: contains and yaml_path cannot be combined"
                        + " (hint: write two checks: one searches the text, the other reads the value)");
        assertThat(problems("type: file\npath: /etc/app.yml\nyaml_path: a..b"))
                .containsExactly("file:7:20: services.x.checks.y.yaml_path: empty path segment in \"a..b\"");
        assertThat(problems("type: file\npath: /etc/app.yml\nsecret: true"))
                .containsExactly("file:7:17: services.x.checks.y.secret: only with yaml_path, json_path or property");
        assertThat(problems("type: file\npath: /etc/app.yml\nconditions: [\"[VALEU] == 1\"]"))
                .singleElement()
                .asString()
                .startsWith("file:7:22: bad condition: unknown placeholder [VALEU] for this check type");
    }
}
