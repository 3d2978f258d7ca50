package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsdeck apikey} and {@code opsdeck audit} against a real server: the seed's rotation with an overlap window. */
class AccessCommandsTest {
    @TempDir
    Path dir;

    @Test
    void rotateAKeyWithOverlapThenReadTheTrail() throws Exception {
        Path config = Files.writeString(
                dir.resolve("opsdeck.yaml"), "server: { data_dir: \"" + dir.resolve("data") + "\" }\n");
        try (TestServer server = new TestServer(config)) {
            String url = server.url();
            CliTest.Run old = CliTest.run(
                    "apikey",
                    "create",
                    "deploy-2026a",
                    "--role",
                    "operator",
                    "--server",
                    url,
                    "--token",
                    server.token,
                    "--json");
            assertThat(old.code()).as(old.err()).isZero();
            JsonNode oldKey = TestServer.JSON.readTree(old.out());
            CliTest.Run fresh = CliTest.run(
                    "apikey",
                    "create",
                    "deploy-2026b",
                    "--role",
                    "operator",
                    "--expires-in",
                    "90d",
                    "--server",
                    url,
                    "--token",
                    server.token);
            assertThat(fresh.code()).as(fresh.err()).isZero();
            assertThat(fresh.out()).contains("Secret, shown once:");
            String freshSecret = fresh.out().strip().lines().reduce((a, b) -> b).orElseThrow();

            // the overlap window: both keys work
            assertThat(CliTest.run(
                                    "status",
                                    "--server",
                                    url,
                                    "--token",
                                    oldKey.path("secret").asText())
                            .code())
                    .isZero();
            assertThat(CliTest.run("status", "--server", url, "--token", freshSecret)
                            .code())
                    .isZero();

            CliTest.Run list = CliTest.run("apikey", "list", "--all", "--server", url, "--token", server.token);
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out())
                    .contains("deploy-2026a")
                    .contains("deploy-2026b")
                    .startsWith("ID");
            assertThat(list.out())
                    .doesNotContain(freshSecret)
                    .doesNotContain(oldKey.path("secret").asText());

            String oldId = oldKey.path("id").asText();
            assertThat(CliTest.run("apikey", "revoke", oldId, "--server", url, "--token", server.token)
                            .out())
                    .contains("Revoked API key " + oldId);
            CliTest.Run refused = CliTest.run(
                    "status", "--server", url, "--token", oldKey.path("secret").asText());
            assertThat(refused.code()).isEqualTo(Main.FAILED);
            assertThat(refused.err())
                    .contains("401")
                    .contains("the API key is unknown, revoked or expired")
                    .contains("set OPSDECK_TOKEN");
            assertThat(CliTest.run("status", "--server", url, "--token", freshSecret)
                            .code())
                    .isZero();

            CliTest.Run trail = CliTest.run("audit", "--action", "apikey.", "--server", url, "--token", server.token);
            assertThat(trail.code()).as(trail.err()).isZero();
            assertThat(trail.out()
                            .lines()
                            .filter(l -> l.contains("apikey.create"))
                            .count())
                    .isEqualTo(2);
            assertThat(trail.out()).contains("apikey.revoke").contains("apikey:" + oldId);

            CliTest.Run export =
                    CliTest.run("audit", "--export", "--action", "apikey.", "--server", url, "--token", server.token);
            assertThat(export.out().lines().toList())
                    .hasSize(3)
                    .allSatisfy(l -> assertThat(
                                    TestServer.JSON.readTree(l).path("action").asText())
                            .startsWith("apikey."));

            CliTest.Run viewer = CliTest.run("audit", "--server", url, "--token", freshSecret);
            assertThat(viewer.code()).isEqualTo(Main.FAILED);
            assertThat(viewer.err()).contains("403").contains("this needs the admin role");
        }
    }
}
