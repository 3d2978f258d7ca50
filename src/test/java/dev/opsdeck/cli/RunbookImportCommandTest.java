package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

class RunbookImportCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new RunbookImportCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private Path markdown() throws Exception {
        Path md = dir.resolve("restart.md");
        Files.writeString(md, "# Restart API\n\n```sh\n# Restart\nsystemctl restart api\n```\n\n```json\n{}\n```\n");
        return md;
    }

    @Test
    void writesYamlToStdoutAndTheUnconvertedListToStderr() throws Exception {
        assertThat(run(markdown().toString())).isZero();
        Map<String, Object> root = new Yaml().load(out.toString());
        assertThat(root).containsOnlyKeys("runbooks");
        assertThat(out.toString()).contains("  restart-api:\n    title: Restart API\n");
        assertThat(err.toString())
                .isEqualTo("Imported 1 runbook(s) with 1 step(s).\nCould not convert (1):\n"
                        + "  restart.md:line 9: code: {} — a ```json block is not a shell script\n");
    }

    @Test
    void writesToTheOutFile() throws Exception {
        Path yaml = dir.resolve("restart.yaml");
        assertThat(run(markdown().toString(), "--out", yaml.toString())).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(Files.readString(yaml)).contains("run: |\n          # Restart\n          systemctl restart api\n");
        assertThat(err.toString()).startsWith("Imported 1 runbook(s) with 1 step(s) to " + yaml + ".\n");
    }

    @Test
    void theRedeploySeedImportsToYamlThatConfigCheckAccepts() throws Exception {
        Path md = dir.resolve("redeploy.md");
        try (var in = getClass().getResourceAsStream("/seeds/003_68e48358983334a8.txt")) {
            Files.write(md, in.readAllBytes());
        }
        Path yaml = dir.resolve("redeploy.yaml");
        assertThat(run(md.toString(), "--out", yaml.toString())).isZero();
        assertThat(err.toString())
                .contains(" and 8 rollback step(s) to " + yaml)
                .contains(
                        "redeploy.md:line 455: endless: tail -f /var/log/yieldvault/backend.log | grep -i error — never ends");
        CliTest.Run check = CliTest.run("config", "check", yaml.toString());
        assertThat(check.code()).as(check.err()).isZero();
    }

    @Test
    void aMissingFileIsInvalidInput() {
        Path missing = dir.resolve("nope.md");
        assertThat(run(missing.toString())).isEqualTo(Main.INVALID);
        assertThat(err.toString()).isEqualTo("error: " + missing + ": no such file\n");
    }
}
