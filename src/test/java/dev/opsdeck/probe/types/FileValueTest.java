package dev.opsdeck.probe.types;

import static dev.opsdeck.probe.types.TestChecks.observe;
import static dev.opsdeck.probe.types.TestChecks.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Observation;
import dev.opsdeck.probe.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: file} reading a value at a path in YAML, JSON and properties files. */
class FileValueTest {
    private static final String CONTROLLER = """
            # controller.yml
            runtime:
              profile: production
            network:
              allowedSubnets:
                - "10.0.0.0/8"
                - "10.42.0.0/16"
            security:
              jwtSecret: "q9V2c7xWm1Lk8ZrT0pNs4YbH6jFd3GaE"
              lockout: { enabled: true, maxAttempts: 5 }
            api: ${file:/etc/shadow}
            """;

    @TempDir
    Path dir;

    private Path controller() throws Exception {
        return Files.writeString(dir.resolve("controller.yml"), CONTROLLER);
    }

    @Test
    void aYamlValueWithItsLineAsEvidence() throws Exception {
        Path file = controller();
        CheckResult r = run("type: file\npath: " + file + "\nyaml_path: runtime.profile\n"
                + "conditions: [\"[VALUE] == production\"]");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        assertThat(r.values())
                .containsEntry("PATH", file.toString())
                .containsEntry("VALUE", "production")
                .containsEntry("LINE", 3L);
        assertThat(run("type: file\npath: " + file + "\nyaml_path: security.lockout.enabled\n"
                                + "conditions: [\"[VALUE] == true\", \"[LINE] == 10\"]")
                        .status())
                .isEqualTo(Status.UP);
        r = run("type: file\npath: " + file + "\nyaml_path: runtime.profile\nconditions: [\"[VALUE] == staging\"]");
        assertThat(r.message()).isEqualTo("[VALUE]: expected staging, got \"production\"");
    }

    @Test
    void listsByIndexAndAsAWhole() throws Exception {
        Path file = controller();
        Observation o = observe("type: file\npath: " + file + "\nyaml_path: network.allowedSubnets");
        assertThat(o.get("VALUE")).isEqualTo(List.of("10.0.0.0/8", "10.42.0.0/16"));
        assertThat(o.get("LINE")).isEqualTo(5L);
        CheckResult r = run("type: file\npath: " + file + "\nyaml_path: network.allowedSubnets\n"
                + "conditions: [\"len([VALUE]) == 2\", \"[VALUE][1] == 10.42.0.0/16\"]");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        o = observe("type: file\npath: " + file + "\nyaml_path: network.allowedSubnets[1]");
        assertThat(o.get("VALUE")).isEqualTo("10.42.0.0/16");
        assertThat(o.get("LINE")).isEqualTo(7L);
    }

    @Test
    void aReferenceInTheCheckedFileIsNeverResolved() throws Exception {
        Observation o = observe("type: file\npath: " + controller() + "\nyaml_path: api");
        assertThat(o.get("VALUE")).isEqualTo("${file:/etc/shadow}");
    }

    @Test
    void aPathThatLeadsNowhereSaysWhere() throws Exception {
        Path file = controller();
        CheckResult r = run("type: file\npath: " + file + "\nyaml_path: runtime.mode");
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("[VALUE]: runtime.mode: no key \"mode\" in \"runtime\" (line 3)");
        r = run("type: file\npath: " + file + "\nyaml_path: network.allowedSubnets[2]");
        assertThat(r.message())
                .isEqualTo("[VALUE]: network.allowedSubnets[2]: \"allowedSubnets\" has 2 items (line 6)");
        r = run("type: file\npath: " + file + "\nyaml_path: runtime.profile.name");
        assertThat(r.message()).isEqualTo("[VALUE]: runtime.profile.name: \"profile\" is text, not a mapping (line 3)");
        r = run("type: file\npath: " + file + "\nyaml_path: debug\nconditions: [\"has([VALUE]) == false\"]");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
    }

    @Test
    void aFileThatIsNotYaml() throws Exception {
        Path script = Files.writeString(dir.resolve("start.sh"), "#!/bin/sh\nset -e\nexec java -jar app.jar: --x\n");
        CheckResult r = run("type: file\npath: " + script + "\nyaml_path: runtime.profile");
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message())
                .isEqualTo(script + ": not YAML (line 3, column 23: mapping values are not allowed here)");
        Path text = Files.writeString(dir.resolve("motd"), "Welcome\nto the controller\n");
        r = run("type: file\npath: " + text + "\nyaml_path: runtime.profile");
        assertThat(r.message())
                .isEqualTo(text + ": not YAML (the whole file reads as one text, not a mapping or a list)");
        Path broken = Files.writeString(dir.resolve("broken.yml"), "runtime:\n  profile: production\n  - x\n");
        r = run("type: file\npath: " + broken + "\nyaml_path: runtime.profile");
        assertThat(r.message())
                .isEqualTo(broken + ": not YAML (line 3, column 3: expected <block end>, but found '-')");
        Path twice = Files.writeString(dir.resolve("twice.yml"), "runtime:\n  profile: a\nruntime: {}\n");
        r = run("type: file\npath: " + twice + "\nyaml_path: runtime.profile");
        assertThat(r.message()).isEqualTo(twice + ": not YAML (line 3, column 1: duplicate key 'runtime')");
        Path latin1 = Files.write(dir.resolve("latin1.yml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        r = run("type: file\npath: " + latin1 + "\nyaml_path: name");
        assertThat(r.message()).isEqualTo(latin1 + " is not UTF-8 text");
    }

    @Test
    void jsonValuesKeepTheirTypesAndLines() throws Exception {
        Path file = Files.writeString(dir.resolve("status.json"), """
                {
                  "cluster": {
                    "nodes": [
                      {"name": "a", "ready": true},
                      {"name": "b", "ready": false, "lag": 12.5}
                    ]
                  }
                }
                """);
        Observation o = observe("type: file\npath: " + file + "\njson_path: cluster.nodes[1].lag");
        assertThat(o.get("VALUE")).isEqualTo(12.5);
        assertThat(o.get("LINE")).isEqualTo(5L);
        CheckResult r = run("type: file\npath: " + file + "\njson_path: cluster.nodes[1]\n"
                + "conditions: [\"[VALUE].ready == true\"]");
        assertThat(r.message()).isEqualTo("[VALUE].ready: expected true, got false");
        r = run("type: file\npath: " + file + "\njson_path: cluster.leader");
        assertThat(r.message()).isEqualTo("[VALUE]: cluster.leader: \"cluster\" has no field \"leader\" (line 2)");
        r = run("type: file\npath: " + file + "\njson_path: cluster.nodes[2]");
        assertThat(r.message()).isEqualTo("[VALUE]: cluster.nodes[2]: \"nodes\" has 2 items (line 3)");
    }

    @Test
    void aFileThatIsNotJson() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.json"), "{\n  \"a\": 1,\n  \"b\": oops\n}\n");
        CheckResult r = run("type: file\npath: " + file + "\njson_path: a");
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message())
                .isEqualTo(file + ": not JSON (line 3, column 12: Unrecognized token 'oops': was expecting"
                        + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false'))");
        Path twice = Files.writeString(dir.resolve("twice.json"), "{\"a\": 1,\n \"a\": 2}");
        r = run("type: file\npath: " + twice + "\njson_path: a");
        assertThat(r.message()).isEqualTo(twice + ": not JSON (line 2, column 5: Duplicate field 'a')");
        Path two = Files.writeString(dir.resolve("two.json"), "{}\n[]\n");
        r = run("type: file\npath: " + two + "\njson_path: a");
        assertThat(r.message()).isEqualTo(two + ": not JSON (line 2, column 1: more than one value)");
    }

    @Test
    void propertiesAreReadAsJavaReadsThem() throws Exception {
        Path file = Files.write(dir.resolve("app.properties"), """
                # runtime
                runtime.profile=staging
                greeting = hello \\
                    world
                runtime.profile : production
                name=caf\u00e9
                """.getBytes(StandardCharsets.ISO_8859_1));
        Observation o = observe("type: file\npath: " + file + "\nproperty: runtime.profile");
        assertThat(o.get("VALUE")).isEqualTo("production"); // the later line wins, as in java.util.Properties
        assertThat(o.get("LINE")).isEqualTo(5L);
        assertThat(observe("type: file\npath: " + file + "\nproperty: greeting").get("VALUE"))
                .isEqualTo("hello world");
        assertThat(observe("type: file\npath: " + file + "\nproperty: name").get("VALUE"))
                .isEqualTo("caf\u00e9");
        CheckResult r = run("type: file\npath: " + file + "\nproperty: runtime");
        assertThat(r.message()).isEqualTo("[VALUE]: no property \"runtime\"");
    }

    @Test
    void aSecretValueIsComparedButNeverShownOrKept() throws Exception {
        Path file = controller();
        CheckResult r = run("type: file\npath: " + file + "\nyaml_path: security.jwtSecret\n"
                + "conditions: [\"len([VALUE]) >= 32\", \"[VALUE] != changeme\"]");
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        assertThat(r.values()).doesNotContainKey("VALUE").containsEntry("LINE", 9L);
        assertThat(r.message()).doesNotContain("q9V2");

        r = run("type: file\npath: " + file + "\nyaml_path: security.jwtSecret\n"
                + "conditions: [\"[VALUE] == changeme\", \"[VALUE] == pat(q9*)\"]");
        assertThat(r.message()).isEqualTo("[VALUE]: expected changeme, got a secret value (32 characters)");

        r = run("type: file\npath: " + file + "\nyaml_path: runtime.profile\nsecret: true\n"
                + "conditions: [\"[VALUE] == staging\"]");
        assertThat(r.message()).isEqualTo("[VALUE]: expected staging, got a secret value (10 characters)");
        r = run("type: file\npath: " + file + "\nyaml_path: security.jwtSecret\nsecret: false");
        assertThat(r.values()).containsEntry("VALUE", "q9V2c7xWm1Lk8ZrT0pNs4YbH6jFd3GaE");
    }
}
