package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsdeck silence add|list|expire} against a real server, as tables and as JSON. */
class SilenceCommandTest {
    @TempDir
    Path dir;

    @Test
    void addListAndExpireASilence() throws Exception {
        Path config = Files.writeString(
                dir.resolve("opsdeck.yaml"), "server: { data_dir: \"" + dir.resolve("data") + "\" }\n");
        try (TestServer server = new TestServer(config)) {
            String[] remote = {"--server", server.url(), "--token", server.token};

            CliTest.Run add = run(
                    remote,
                    "silence",
                    "add",
                    "--match",
                    "service=indexer",
                    "--match",
                    "severity!=P1",
                    "--duration",
                    "2h",
                    "--comment",
                    "deploy");
            assertThat(add.code()).as(add.err()).isZero();
            assertThat(add.out()).startsWith("Silence 1 active until ").endsWith(": service=indexer, severity!=P1.\n");

            CliTest.Run list = run(remote, "silence", "list");
            assertThat(list.out())
                    .startsWith("ID")
                    .contains("service=indexer, severity!=P1")
                    .contains("admin")
                    .contains("deploy");

            CliTest.Run expire = run(remote, "silence", "expire", "1");
            assertThat(expire.code()).as(expire.err()).isZero();
            assertThat(expire.out()).isEqualTo("Expired silence 1: service=indexer, severity!=P1.\n");
            assertThat(run(remote, "silence", "list").out()).doesNotContain("indexer");
            JsonNode all = TestServer.JSON.readTree(
                    run(remote, "silence", "list", "--all", "--json").out());
            assertThat(all.path("silences").get(0).path("state").asText()).isEqualTo("expired");
            assertThat(all.path("silences").get(0).path("expired_by").asText()).isEqualTo("admin");

            CliTest.Run badRegex =
                    run(remote, "silence", "add", "--match", "name=~Disk(", "--duration", "1h", "--comment", "x");
            assertThat(badRegex.code()).isEqualTo(Main.FAILED);
            assertThat(badRegex.err())
                    .contains("400")
                    .contains("field 'matchers[0].value': not a valid regular expression 'Disk('");
            CliTest.Run noOp =
                    run(remote, "silence", "add", "--match", "indexer", "--duration", "1h", "--comment", "x");
            assertThat(noOp.code()).isEqualTo(Main.INVALID);
            CliTest.Run tooLong =
                    run(remote, "silence", "add", "--match", "service=a", "--duration", "31d", "--comment", "x");
            assertThat(tooLong.err()).contains("field 'duration': a silence lasts at most 30d");
            assertThat(run(remote, "silence", "expire", "99").err())
                    .contains("404")
                    .contains("no silence 99");
        }
    }

    private static CliTest.Run run(String[] remote, String... args) throws Exception {
        String[] all = new String[args.length + remote.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(remote, 0, all, args.length, remote.length);
        return CliTest.run(all);
    }
}
