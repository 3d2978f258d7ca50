package dev.opsdeck.probe.types;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problems;
import dev.opsdeck.probe.CheckCompiler;
import dev.opsdeck.probe.CheckTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of the systemd and process sections of checks.md load and compile as written. */
class CheckDocExamplesTest {
    private static final Pattern YAML = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void systemdAndProcessExamplesCompile() throws Exception {
        String doc = Files.readString(Path.of("docs", "checks.md"));
        for (String type : new String[] {"systemd", "process"}) {
            int start = doc.indexOf("\n## " + type + "\n");
            String section = doc.substring(start, doc.indexOf("\n## ", start + 1));
            Matcher m = YAML.matcher(section);
            assertThat(m.find()).as(type + " has an example").isTrue();
            Path file = Files.writeString(dir.resolve(type + ".yaml"), "services:\n  x:\n    checks:\n" + m.group(1));
            Problems problems = new Problems();
            OpsdeckConfig config = ConfigLoader.standard().load(file, problems);
            var checks = new CheckCompiler(CheckTypes.standard()).compileAll(config, problems);
            assertThat(problems.sorted()).as(type).isEmpty();
            assertThat(checks).as(type).hasSize(2);
            checks.values().forEach(c -> c.close());
        }
    }
}
