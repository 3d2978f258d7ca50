package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsdeck incident list|show|ack|note|resolve} against a real server, as tables and as JSON. */
class IncidentCommandTest {
    @TempDir
    Path dir;

    @Test
    void workAnIncidentFromTheCommandLine() throws Exception {
        Path config = Files.writeString(
                dir.resolve("opsdeck.yaml"), "server: { data_dir: \"" + dir.resolve("data") + "\" }\n");
        try (TestServer server = new TestServer(config)) {
            long id = server.server
                    .incidents()
                    .acceptAll(
                            List.of(new AlertEvent(
                                    "cli-fp",
                                    "rule",
                                    "Down",
                                    AlertEvent.State.FIRING,
                                    AlertEvent.Severity.P1,
                                    "postgres",
                                    "postgres",
                                    List.of("api"),
                                    false,
                                    Map.of(),
                                    "postgres is down",
                                    null,
                                    "rb-001",
                                    Instant.now(),
                                    null)),
                            "test")
                    .getFirst();
            String[] remote = {"--server", server.url(), "--token", server.token};

            CliTest.Run list = run(remote, "incident", "list", "--state", "open");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out())
                    .startsWith("ID")
                    .contains("postgres is down")
                    .contains("P1")
                    .contains("ack by ");

            CliTest.Run ack = run(remote, "incident", "ack", String.valueOf(id));
            assertThat(ack.out()).contains("Acknowledged incident " + id + ": postgres is down.");
            CliTest.Run again = run(remote, "incident", "ack", String.valueOf(id));
            assertThat(again.code()).isEqualTo(Main.FAILED);
            assertThat(again.err()).contains("409").contains("only a triggered incident can be acknowledged");

            CliTest.Run note = run(
                    remote, "incident", "note", String.valueOf(id), "Failover to the replica; **watching**.", "--json");
            assertThat(TestServer.JSON.readTree(note.out()).path("text").asText())
                    .isEqualTo("Failover to the replica; **watching**.");

            CliTest.Run show = run(remote, "incident", "show", String.valueOf(id));
            assertThat(show.out())
                    .contains("Incident " + id + " [P1, acknowledged] postgres is down")
                    .contains("Impacted:   api")
                    .contains("Runbook:    rb-001")
                    .contains("Failover to the replica");

            assertThat(run(remote, "incident", "resolve", String.valueOf(id)).out())
                    .contains("Resolved incident " + id);
            JsonNode shown = TestServer.JSON.readTree(run(remote, "incident", "show", String.valueOf(id), "--json")
                    .out());
            assertThat(shown.path("state").asText()).isEqualTo("resolved");
            assertThat(shown.path("resolved_by").asText()).isEqualTo("admin");
            JsonNode listed = TestServer.JSON.readTree(
                    run(remote, "incident", "list", "--json").out());
            assertThat(listed.path("incidents").get(0).path("id").asLong()).isEqualTo(id);

            CliTest.Run missing = run(remote, "incident", "show", "999");
            assertThat(missing.code()).isEqualTo(Main.FAILED);
            assertThat(missing.err()).contains("404").contains("no incident 999");
        }
    }

    private static CliTest.Run run(String[] remote, String... args) throws Exception {
        String[] all = new String[args.length + remote.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(remote, 0, all, args.length, remote.length);
        return CliTest.run(all);
    }
}
