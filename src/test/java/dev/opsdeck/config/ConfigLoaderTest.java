package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.CheckCompiler;
import dev.opsdeck.probe.CheckTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
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
        new CheckCompiler(CheckTypes.standard())
                .compileAll(config, problems)
                .values()
                .forEach(c -> c.close());
        return config;
    }

    /** Every problem as printed to users, with the temp directory cut from file names. */
    private List<String> problems(Path path) {
        Problems problems = new Problems();
        load(path, problems);
        return problems.sorted().stream()
                .map(p -> p.toString().replace(dir + "/", "").replace(dir.toString(), "."))
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
        assertThat(problems(file))
                .containsExactly(
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
        assertThat(problems(file))
                .containsExactly(
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
        assertThat(problems(file))
                .containsExactly("opsdeck.yaml:4:1: malformed YAML: expected ',' or ']', but got <stream end>"
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
        assertThat(problems(file))
                .containsExactly("opsdeck.yaml:5:7: duplicate key 'p' (hint: first defined at opsdeck.yaml:4:7)");
        assertThat(problems(write("list.yaml", "- a\n- b\n")))
                .containsExactly("list.yaml:1:1: the top level must be a mapping of sections, got a list"
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
        assertThat(Fields.closest("web", List.of("a", "b"))).isNull();
        assertThat(Fields.closest("htp", List.of("tcp"))).isNull();
        assertThat(Fields.closest("postgress", List.of("api", "postgres"))).isEqualTo("postgres");
        assertThat(Fields.closest("ur", List.of("url", "host"))).isEqualTo("url");
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
        assertThat(problems(file))
                .containsExactly(
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
        assertThat(config.checks())
                .extracting(CheckDef::id, CheckDef::interval)
                .containsExactly(
                        Tuple.tuple("postgres/port", Duration.ofSeconds(5)),
                        Tuple.tuple("api/port", Duration.ofMinutes(1)));
        assertThat(config.files()).hasSize(3);

        write("40-dup.yaml", """
                server: { port: 1 }
                services:
                  api: {}
                """);
        assertThat(problems(dir))
                .containsExactly(
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
        assertThat(problems(main))
                .containsExactly("opsdeck.yaml:1:32: include: \"missing/*.yaml\" matches no file"
                        + " (hint: globs are relative to .)");
        Problems problems = new Problems();
        OpsdeckConfig config = load(main, problems);
        assertThat(config.services()).extracting(ServiceDef::name).containsExactly("a", "b");
        assertThat(config.files())
                .extracting(p -> dir.relativize(p).toString())
                .containsExactly("opsdeck.yaml", "services.d/a.yaml", "services.d/b.yaml");
    }

    @Test
    void aBadRunbookTargetIsAPositionedProblemNotACrash() throws IOException {
        // each of these once crashed the loader with a NullPointerException and no position
        for (String bad : List.of("abc", "5", "true", "[]", "-1s", "{}", "\"\"")) {
            Path file = write("opsdeck.yaml", """
                    runbooks:
                      restart:
                        target: %1$s
                        steps:
                          - { id: a, type: sleep, duration: 1s, target: %1$s }
                    """.formatted(bad));
            assertThat(problems(file))
                    .as(bad)
                    .hasSize(2)
                    .allSatisfy(
                            p -> assertThat(p)
                                    .matches(
                                            "opsdeck\\.yaml:(3:13: runbooks\\.restart|5:53: runbooks\\.restart\\.steps\\[0]).target: .*"));
        }
        assertThat(problems(write(
                        "opsdeck.yaml",
                        "runbooks:\n  r:\n    steps:\n      - { id: a, type: sleep, duration: 1s,"
                                + " target: abc }\n")))
                .containsExactly("opsdeck.yaml:4:53: runbooks.r.steps[0].target: bad duration \"abc\""
                        + " (hint: write a number with a unit: 500ms, 30s, 5m, 1h, 7d)");
    }

    @Test
    void anUnsetVariableIsReportedOnceNotAgainAsItsConsequences() throws IOException {
        Path file = write("opsdeck.yaml", """
                services:
                  db:
                    checks:
                      ready: { type: postgres, url: "${env:DB_URL}" }
                      slow: { type: postgres, url: "${env:DB_URL}", query: SELECT 1 }
                datasources:
                  app: { url: "${env:DB_URL}" }
                backups:
                  app:
                    url: "${env:DB_URL}"
                    destinations: { disk: { type: local, path: /var/backups } }
                channels:
                  hook: { type: webhook, url: "${env:HOOK_URL}" }
                """);
        assertThat(problems(file))
                .containsExactly(
                        "opsdeck.yaml:4:37: environment variable DB_URL is not set (hint: export DB_URL=... before starting,"
                                + " or use ${file:PATH}; also used at opsdeck.yaml:5:36, opsdeck.yaml:7:15, opsdeck.yaml:10:10)",
                        "opsdeck.yaml:13:31: environment variable HOOK_URL is not set"
                                + " (hint: export HOOK_URL=... before starting, or use ${file:PATH})");
    }

    @Test
    void aFileThatIsNotUtf8NamesTheByte() throws IOException {
        Path file = dir.resolve("opsdeck.yaml");
        byte[] latin1 = "services:\n  caf\u00e9: {}\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, latin1);
        assertThat(problems(file))
                .containsExactly("opsdeck.yaml:2:6: the file is not UTF-8: byte 0xE9 at byte offset 15"
                        + " is not valid UTF-8 (hint: save the file as UTF-8)");
    }

    @Test
    void longValuesAreBoundedAndNeverEchoedInFull() throws IOException {
        // one long line: the YAML parser would take quadratic time on it, so it is refused before parsing
        Path line = write("opsdeck.yaml", "services:\n  a:\n    description: \"" + "x".repeat(5_000_000) + "\"\n");
        long start = System.nanoTime();
        assertThat(problems(line))
                .containsExactly("opsdeck.yaml:3:1: line 3 is 5000019 characters long; the limit"
                        + " is 65536 (hint: keep long content such as a script or a certificate in a file of its own)");
        // a long value over many lines: reported once, without its text, and nothing else about it
        Path value = write(
                "opsdeck.yaml",
                "runbooks:\n  r:\n    steps:\n      - id: a\n        type: shell\n" + "        run: |\n"
                        + "          echo 0123456789012345678901234567890123456789\n".repeat(30_000));
        assertThat(problems(value))
                .containsExactly("opsdeck.yaml:6:14: the value is 1380000 characters long; the limit"
                        + " is 1048576 (hint: keep long content such as a script in a file of its own)");
        // a long value within the limits is cut where a message quotes it
        Path port = write(
                "opsdeck.yaml",
                "services:\n  a:\n    checks:\n      c: { type: tcp, host: h, port: " + "9".repeat(60_000) + " }\n");
        assertThat(problems(port))
                .containsExactly("opsdeck.yaml:4:38: services.a.checks.c.port: expected a whole number," + " got \""
                        + "9".repeat(60) + "…\" (60000 characters)");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("checking these files")
                .isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aOneMegabyteFileIsCheckedQuickly() throws IOException {
        StringBuilder yaml = new StringBuilder("services:\n");
        for (int i = 0; yaml.length() < 1_000_000; i++) {
            yaml.append("  svc-")
                    .append(i)
                    .append(":\n    description: a service of the fleet, number ")
                    .append(i)
                    .append("\n    checks:\n      port: { type: tcp, host: 10.0.")
                    .append(i / 250 % 250)
                    .append('.')
                    .append(i % 250)
                    .append(", port: 5432, interval: 30s, timeout: 5s }\n");
        }
        Path file = write("opsdeck.yaml", yaml.toString());
        problems(file); // warm up: class loading and compilation are not what is measured
        long start = System.nanoTime();
        assertThat(problems(file)).isEmpty();
        // about 0.3 s on a quiet 2-core machine; the bound is generous for a busy one (BENCHMARKS.md)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aHundredThousandServicesInOneFileLoad() throws IOException {
        StringBuilder yaml = new StringBuilder("services:\n");
        String description = "one of a hundred thousand services, generated for this test; ".repeat(3);
        for (int i = 0; i < 100_000; i++) {
            yaml.append("  service-number-")
                    .append(i)
                    .append(":\n    description: ")
                    .append(description)
                    .append('\n');
            if (i > 0)
                yaml.append("    depends_on: [service-number-").append(i / 2).append("]\n");
        }
        Path file = write("opsdeck.yaml", yaml.toString());
        assertThat(Files.size(file))
                .as("over the YAML parser's former 16M limit")
                .isGreaterThan(16L * 1024 * 1024);
        Problems problems = new Problems();
        OpsdeckConfig config = new ConfigLoader(new YamlReader(env::get)).load(file, problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(config.services()).hasSize(100_000);
    }

    @Test
    void missingPathsAndEmptyDirectories() throws IOException {
        assertThat(problems(dir.resolve("nope.yaml")))
                .containsExactly("nope.yaml:1:1: config not found (hint: pass a YAML file or a directory of them)");
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
        assertThat(problems(file))
                .containsExactly(
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
        assertThat(problems(file))
                .containsExactly(
                        "opsdeck.yaml:2:8: store.url: not a valid PostgreSQL URL"
                                + " (hint: postgresql://user:password@host:5432/db, with special characters in the password percent-encoded)");
        Path other = write("other.yaml", "store: { url: mysql://x/y }\n");
        assertThat(problems(other))
                .containsExactly("other.yaml:1:15: store.url: unsupported store \"mysql://x/y\""
                        + " (hint: use 'embedded' or postgresql://user@host:5432/db)");
    }

    @Test
    void definitionHashFollowsEffectiveSettings() throws IOException {
        Path file = write("opsdeck.yaml", "services:\n  a:\n    checks:\n      p: { type: tcp, host: h, port: 1 }\n");
        String before = loadOk(file).checks().getFirst().definitionHash();
        assertThat(loadOk(file).checks().getFirst().definitionHash()).isEqualTo(before);
        Files.writeString(file, "monitoring: { defaults: { interval: 5s } }\n" + Files.readString(file));
        assertThat(loadOk(file).checks().getFirst().definitionHash())
                .as("a new default interval changes the running check")
                .isNotEqualTo(before);
    }

    private OpsdeckConfig loadOk(Path file) {
        Problems problems = new Problems();
        OpsdeckConfig config = load(file, problems);
        assertThat(problems.sorted()).isEmpty();
        return config;
    }
}
