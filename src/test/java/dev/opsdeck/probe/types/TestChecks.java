package dev.opsdeck.probe.types;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.ConfigLoader;
import dev.opsdeck.config.OpsdeckConfig;
import dev.opsdeck.config.Problem;
import dev.opsdeck.config.Problems;
import dev.opsdeck.probe.CheckCompiler;
import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.CheckType;
import dev.opsdeck.probe.CheckTypes;
import dev.opsdeck.probe.CompiledCheck;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Probe;
import dev.opsdeck.probe.ProbeContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds checks the way opsdeck does: a YAML file on disk, loaded by the real config loader and
 * compiled by the real compiler. The check is service "x", check "y".
 */
final class TestChecks {
    private TestChecks() {}

    /** The YAML of one check (its keys, unindented) wrapped into a whole config file. */
    static Path write(String checkYaml) {
        try {
            Path dir = Files.createTempDirectory("opsdeck-check");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("opsdeck.yaml");
            String indented = checkYaml
                    .strip()
                    .lines()
                    .map(l -> "        " + l)
                    .reduce((a, b) -> a + "\n" + b)
                    .orElse("");
            Files.writeString(file, "services:\n  x:\n    checks:\n      y:\n" + indented + "\n");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Compiled(Map<String, CompiledCheck> checks, List<Problem> problems, Path file) {}

    static Compiled compile(String checkYaml) {
        Path file = write(checkYaml);
        Problems problems = new Problems();
        OpsdeckConfig config = ConfigLoader.standard().load(file, problems);
        Map<String, CompiledCheck> checks = new CheckCompiler(CheckTypes.standard()).compileAll(config, problems);
        return new Compiled(checks, problems.sorted(), file);
    }

    /** Problems as users see them, with the temp file's path replaced by "file". */
    static List<String> problems(String checkYaml) {
        Compiled c = compile(checkYaml);
        c.checks().values().forEach(CompiledCheck::close);
        return c.problems().stream()
                .map(p -> p.toString().replace(c.file().toString(), "file"))
                .toList();
    }

    /** A check that must compile cleanly. Close it (it may hold an HTTP client). */
    static CompiledCheck check(String checkYaml) {
        Compiled c = compile(checkYaml);
        assertThat(c.problems()).as("config problems").isEmpty();
        assertThat(c.checks()).containsKey("x/y");
        return c.checks().get("x/y");
    }

    /** Compiles and runs once, closing the check afterwards. */
    static CheckResult run(String checkYaml) {
        try (CompiledCheck c = check(checkYaml)) {
            return c.run();
        }
    }

    /** Raw observation (with BODY, STDOUT...) from the configured probe, bypassing the conditions. */
    static Observation observe(String checkYaml) throws Exception {
        return observeWith(null, checkYaml);
    }

    /** As {@link #observe}, with {@code type} (e.g. one reading another /proc) instead of the standard one. */
    static Observation observeWith(CheckType type, String checkYaml) throws Exception {
        Path file = write(checkYaml);
        Problems problems = new Problems();
        OpsdeckConfig config = ConfigLoader.standard().load(file, problems);
        CheckDef def = config.checks().get(0);
        var fields = def.typeFields(problems);
        CheckType t = type != null ? type : CheckTypes.standard().get(def.type());
        try (Probe probe = t.configure(def, fields)) {
            fields.finish();
            assertThat(problems.sorted()).as("config problems").isEmpty();
            return probe.observe(new ProbeContext(def.timeout()));
        }
    }

    /** A port that was free a moment ago; nobody listens on it. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
