package dev.opsdeck.cli;

import static dev.opsdeck.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsdeck check run} on file checks: the evidence (path, line, value) is what it prints. */
class FileCheckCliTest {
    @TempDir
    Path dir;

    @Test
    void printsTheEvidenceAndNeverASecret() throws Exception {
        Path controller = Files.writeString(dir.resolve("controller.yml"), """
                runtime:
                  profile: production
                security:
                  jwtSecret: "q9V2c7xWm1Lk8ZrT0pNs4YbH6jFd3GaE"
                """);
        Path config = Files.writeString(
                dir.resolve("opsdeck.yaml"), """
                services:
                  controller:
                    checks:
                      profile: { type: file, path: %1$s, yaml_path: runtime.profile, conditions: ["[VALUE] == production"] }
                      jwt: { type: file, path: %1$s, yaml_path: security.jwtSecret, conditions: ["[VALUE] == changeme"] }
                      bootstrap: { type: file, path: %2$s, conditions: ["[EXISTS] == false"] }
                """.formatted(controller, dir.resolve(".initial-admin-password")));

        CliTest.Run profile = run("check", "run", "controller/profile", "--config", config.toString());
        assertThat(profile.code()).isZero();
        assertThat(profile.out())
                .matches("(?s)controller/profile: UP in \\d+ms — 1/1 conditions hold\n.*" + "  \\[PATH] \\Q"
                        + controller + "\\E\n.*  \\[VALUE] production\n  \\[LINE] 2\n.*");

        CliTest.Run jwt = run("check", "run", "controller/jwt", "--config", config.toString(), "--json");
        assertThat(jwt.code()).isEqualTo(1);
        assertThat(jwt.out()).doesNotContain("q9V2");
        JsonNode json = Json.MAPPER.readTree(jwt.out());
        assertThat(json.path("message").asText())
                .isEqualTo("[VALUE]: expected changeme, got a secret value (32 characters)");
        assertThat(json.path("values").path("LINE").asLong()).isEqualTo(4);
        assertThat(json.path("values").has("VALUE")).isFalse();

        CliTest.Run bootstrap = run("check", "run", "controller/bootstrap", "--config", config.toString());
        assertThat(bootstrap.code()).as(bootstrap.out()).isZero();
        assertThat(bootstrap.out()).contains("  [EXISTS] false\n");
    }
}
