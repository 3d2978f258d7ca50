package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.CheckCompiler;
import dev.opsdeck.probe.CheckTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads real files from a temp directory and asserts every problem, with its exact position. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private final Map<String, String> env = Map.of("PG_PASSWORD", "s3cret");

    private Path write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    private OpsdeckConfig load(Path path, Problems problems) {
        OpsdeckConfig config = new ConfigLoader(new YamlReader(env::get)).load(path, problems);
        new CheckCompiler(CheckTypes.standard()).compileAll(config, problems).values().forEach(c -> c.close());
        return config;
    }

    /** Every problem as printed to users, with the temp directory cut from file names. */
    private List<String> problems(Path path) {
        Problems problems = new Problems();
        load(path, problems);
        return problems.sorted().stream().map(p -> p.toString().replace(dir + "/", "").replace(dir.toString(), "."))
                .toList();
    }

    @Test
    void reportsEveryProblemAtOnceWithPositionsAndHints() throws IOException {
        Path file = write("opsdeck.yaml", """
                server:
                  port: abc
                servces:
                  x: 1
                monitoring:
                  defaults:
                    interval: 10 seconds
                services:
                  api:
                    descripton: API
                    depends_on: [postgress]
                    checks:
                      tcp:
                        type: tcp
                        host: 127.0.0.1
                        port: 5432
                        intervall: 5s
                        timeout: 0s
                        failure_threshold: two
                        conditions: ["[CONNECTED] ==", "[NOPE] == 1"]
                      web:
                        type: tcpp
                        host: x
                  postgres:
                    checks:
                      ready: { type: tcp, host: "${env:PG_HOST}", port: 5432, send: "${file:missing.txt}" }
                """);
        assertThat(problems(file)).containsExactly(
                "opsdeck.yaml:2:9: server.port: expected a whole number, got \"abc\"",
                "opsdeck.yaml:3:1: unknown section 'servces' (hint: did you mean 'services'?)",
                "opsdeck.yaml:7:15: monitoring.defaults.interval: bad duration \"10 seconds\""
                        + " (hint: write a number with a unit: 500ms, 30s, 5m, 1h, 7d)",
                "opsdeck.yaml:10:5: services.api: unknown key 'descripton' (hint: did you mean 'description'?)",
                "opsdeck.yaml:11:18: services.api.depends_on: unknown service 'postgress' (hint: did you mean 'postgres'?)",
                "opsdeck.yaml:17:9: services.api.checks.tcp: unknown key 'intervall' (hint: did you mean 'interval'?)",
                "opsdeck.yaml:18:18: services.api.checks.tcp.timeout: must be positive",
                "opsdeck.yaml:19:28: services.api.checks.tcp.failure_threshold: expected a whole number, got \"two\"",
                "opsdeck.yaml:20:22: bad condition: \"[CONNECTED] ==\" needs a value on both sides of =="
                        + " (hint: e.g. [RESPONSE_TIME] < 500ms)",
                "opsdeck.yaml:20:40: bad condition: unknown placeholder [NOPE] for this check type"
                        + " (hint: available: [BODY] [CONNECTED] [RESPONSE_TIME])",
                "opsdeck.yaml:22:15: unknown check type \"tcpp\" (hint: did you mean 'tcp'?)",
                "opsdeck.yaml:26:33: environment variable PG_HOST is not set"
                        + " (hint: export PG_HOST=... before starting, or use ${file:PATH})",
                "opsdeck.yaml:26:69: cannot read secret file missing.txt: NoSuchFileException"
                        + " (hint: create the file or fix the path in ${file:...})");
    }

    @Test
    void badDurationAndWrongTypesInAServiceCheck() throws IOException {
        Path file = write("opsdeck.yaml", """
                services:
                  db:
                    depends_on: { a: 1 }
                    checks:
                      port:
                        type: tcp
                        host: [a, b]
                        port: 70000
                        interval: 10 seconds
                        success_threshold: 0
                """);
        assertThat(problems(file)).containsExactly(
                "opsdeck.yaml:3:17: services.db.depends_on: expected a list, got a mapping",
                "opsdeck.yaml:7:15: services.db.checks.port.host: expected text, got a list",
                "opsdeck.yaml:8:15: services.db.checks.port.port: 70000 is out of range (hint: use a whole number from 1 to 65535)",
                "opsdeck.yaml:9:19: services.db.checks.port.interval: bad duration \"10 seconds\""
                        + " (hint: write a number with a unit: 500ms, 30s, 5m, 1h, 7d)",
                "opsdeck.yaml:10:28: services.db.checks.port.success_threshold: 0 is out of range"
                        + " (hint: use a whole number from 1 to 100)");
    }

    @Test
    void malformedYamlNamesTheSpot() throws IOException {
        Path file = write("opsdeck.yaml", "services:\n  x:\n    checks: [a\n");
        assertThat(problems(file)).containsExactly("opsdeck.yaml:4:1: malformed YAML: expected ',' or ']', but got <stream end>"
                + " (hint: check indentation and quoting around this spot)");
        Path tabs = write("tabs.yaml", "services:\n\tapi: {}\n");
        assertThat(problems(tabs)).singleElement().asString().startsWith("tabs.yaml:2:1: malformed YAML: ");
    }

    @Test
    void duplicateKeysAndTopLevelShape() throws IOException {
        Path file = write("opsdeck.yaml", """
                services:
                  api:
                    checks:
                      p: { type: tcp, host: a, port: 1 }
                      p: { type: tcp, host: b, port: 2 }
                """);
        assertThat(problems(file)).containsExactly(
                "opsdeck.yaml:5:7: duplicate key 'p' (hint: first defined at opsdeck.yaml:4:7)");
        assertThat(problems(write("list.yaml", "- a\n- b\n"))).containsExactly(
                "list.yaml:1:1: the top level must be a mapping of sections, got a list"
                        + " (hint: start with server:, store:, services:)");
    }

    @Test
    void secretsFromEnvironmentAndFilesAreResolvedAndMarked() throws IOException {
        write("secrets/pg.txt", "from-file\n");
        Path file = write("opsdeck.yaml", """
                services:
                  db:
                    checks:
                      port: { type: tcp, host: "${env:PG_PASSWORD}.example", port: 5432, send: "${file:secrets/pg.txt}" }
                """);
        Problems problems = new Problems();
        OpsdeckConfig config = load(file, problems);
        assertThat(problems.sorted()).isEmpty();
        YamlNode spec = config.checks().getFirst().spec();
        assertThat(spec.get("host").text()).isEqualTo("s3cret.example");
        assertThat(spec.get("host").fromSecret()).isTrue();
        assertThat(spec.get("host").describe()).isEqualTo("a secret value");
        assertThat(spec.get("send").text()).isEqualTo("from-file");
        assertThat(spec.canonical()).doesNotContain("s3cret").doesNotContain("from-file");
    }

    @Test
    void didYouMeanOnlyForCloseNames() {
        assertThat(Fields.closest("web", java.util.List.of("a", "b"))).isNull();
        assertThat(Fields.closest("htp", java.util.List.of("tcp"))).isNull();
        assertThat(Fields.closest("postgress", java.util.List.of("api", "postgres"))).isEqualTo("postgres");
        assertThat(Fields.closest("ur", java.util.List.of("url", "host"))).isEqualTo("url");
    }

    @Test
    void dependencyCyclesAreNamed() throws IOException {
        Path file = write("opsdeck.yaml", """
                services:
                  a: { depends_on: [b] }
                  b: { depends_on: [c] }
                  c: { depends_on: [a] }
                  d: { depends_on: [d, a] }
                  e: { depends_on: web }
                """);
        assertThat(problems(file)).containsExactly(
                "opsdeck.yaml:2:3: depends_on forms a cycle: a -> b -> c -> a (hint: remove one of these dependencies)",
                "opsdeck.yaml:5:21: services.d.depends_on: a service cannot depend on itself",
                "opsdeck.yaml:6:20: services.e.depends_on: unknown service 'web' (hint: declare it under services:)");
    }

    @Test
    void directoryFilesAreMergedAndDuplicateServicesReported() throws IOException {
        write("10-server.yaml", """
                server: { port: 9090, data_dir: state }
                monitoring: { defaults: { interval: 5s } }
                """);
        write("20-db.yaml", """
                services:
                  postgres:
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: 5432 }
                """);
        write("30-api.yml", """
                services:
                  api:
                    depends_on: [postgres]
                    checks:
                      port: { type: tcp, host: 127.0.0.1, port: 8000, interval: 1m }
                """);
        write("notes.txt", "not yaml: [");
        Problems problems = new Problems();
        OpsdeckConfig config = load(dir, problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(config.server().port()).isEqualTo(9090);
        assertThat(config.server().dataDir()).isEqualTo(dir.resolve("state"));
        assertThat(config.services()).extracting(ServiceDef::name).containsExactly("postgres", "api");
        assertThat(config.checks()).extracting(CheckDef::id, CheckDef::interval).containsExactly(
                org.assertj.core.groups.Tuple.tuple("postgres/port", Duration.ofSeconds(5)),
                org.assertj.core.groups.Tuple.tuple("api/port", Duration.ofMinutes(1)));
        assertThat(config.files()).hasSize(3);

        write("40-dup.yaml", """
                server: { port: 1 }
                services:
                  api: {}
                """);
        assertThat(problems(dir)).containsExactly(
                "40-dup.yaml:1:9: section 'server' is defined twice (hint: first defined at 10-server.yaml:1:9)",
                "40-dup.yaml:3:3: service 'api' is defined twice (hint: first defined at 30-api.yml:2:3)");
    }

    @Test
    void includeGlobsAreFollowedRelativeToTheFile() throws IOException {
        Path main = write("opsdeck.yaml", """
                include: ["services.d/*.yaml", "missing/*.yaml"]
                server: { port: 0 }
                """);
        write("services.d/a.yaml", "services:\n  a: { checks: { p: { type: tcp, host: h, port: 1 } } }\n");
        write("services.d/b.yaml", "include: ../opsdeck.yaml\nservices:\n  b: { depends_on: [a] }\n");
        write("services.d/ignored.txt", "services: {x: {}}\n");
        assertThat(problems(main)).containsExactly("opsdeck.yaml:1:32: include: \"missing/*.yaml\" matches no file"
                + " (hint: globs are relative to .)");
        Problems problems = new Problems();
        OpsdeckConfig config = load(main, problems);
        assertThat(config.services()).extracting(ServiceDef::name).containsExactly("a", "b");
        assertThat(config.files()).extracting(p -> dir.relativize(p).toString())
                .containsExactly("opsdeck.yaml", "services.d/a.yaml", "services.d/b.yaml");
    }

    @Test
    void missingPathsAndEmptyDirectories() throws IOException {
        assertThat(problems(dir.resolve("nope.yaml"))).containsExactly(
                "nope.yaml:1:1: config not found (hint: pass a YAML file or a directory of them)");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(problems(empty)).containsExactly("empty:1:1: no .yaml or .yml files in this directory");
    }

    @Test
    void disabledChecksAreValidatedButNotRun() throws IOException {
        Path file = write("opsdeck.yaml", """
                services:
                  api:
                    checks:
                      on: { type: tcp, host: h, port: 1 }
                      off: { type: tcp, host: h, port: 2, enabled: false, description: maintenance }
                      bad: { type: tcp, host: h, port: 3, enabled: maybe }
                """);
        assertThat(problems(file)).containsExactly(
                "opsdeck.yaml:6:52: services.api.checks.bad.enabled: expected true or false, got \"maybe\"");
        Problems problems = new Problems();
        assertThat(load(file, problems).checks()).extracting(CheckDef::name).containsExactly("on", "bad");
    }

    @Test
    void storeUrlIsValidatedWithoutEchoingThePassword() throws IOException {
        Path file = write("opsdeck.yaml", """
                store:
                  url: "postgresql://opsdeck:my secret@db host/opsdeck"
                """);
        assertThat(problems(file)).containsExactly("opsdeck.yaml:2:8: store.url: not a valid PostgreSQL URL"
                + " (hint: postgresql://user:password@host:5432/db, with special characters in the password percent-encoded)");
        Path other = write("other.yaml", "store: { url: mysql://x/y }\n");
        assertThat(problems(other)).containsExactly("other.yaml:1:15: store.url: unsupported store \"mysql://x/y\""
                + " (hint: use 'embedded' or postgresql://user@host:5432/db)");
    }

    @Test
    void definitionHashFollowsEffectiveSettings() throws IOException {
        Path file = write("opsdeck.yaml", "services:\n  a:\n    checks:\n      p: { type: tcp, host: h, port: 1 }\n");
        String before = loadOk(file).checks().getFirst().definitionHash();
        assertThat(loadOk(file).checks().getFirst().definitionHash()).isEqualTo(before);
        Files.writeString(file, "monitoring: { defaults: { interval: 5s } }\n" + Files.readString(file));
        assertThat(loadOk(file).checks().getFirst().definitionHash())
                .as("a new default interval changes the running check").isNotEqualTo(before);
    }

    private OpsdeckConfig loadOk(Path file) {
        Problems problems = new Problems();
        OpsdeckConfig config = load(file, problems);
        assertThat(problems.sorted()).isEmpty();
        return config;
    }
}
