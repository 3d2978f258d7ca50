package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsdeck oncall} and {@code opsdeck maintenance list|add|end} against a real server. */
class OnCallCommandTest {
    @TempDir
    Path dir;

    private Path config() throws Exception {
        return Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                channels:
                  hook: { type: webhook, url: "http://127.0.0.1:9/hook" }
                contacts:
                  alice: { name: Alice Example, email: alice@example.com, notify: [hook] }
                rotations:
                  primary: { members: [alice], start: 2020-01-06, time_zone: Europe/Berlin }
                  later: { members: [alice], start: 2099-01-05 }
                services:
                  postgres: {}
                  api: {}
                maintenance:
                  vacuum: { services: [postgres], days: [sunday], at: "02:00", time_zone: Europe/Berlin, comment: weekly vacuum }
                """.formatted(dir.resolve("data")));
    }

    @Test
    void showsWhoIsOnCallNowAndNext() throws Exception {
        try (TestServer server = new TestServer(config())) {
            String[] remote = {"--server", server.url(), "--token", server.token};
            CliTest.Run table = run(remote, "oncall");
            assertThat(table.code()).as(table.err()).isZero();
            String[] lines = table.out().split("\n");
            assertThat(lines[0]).matches("ROTATION +NOW +UNTIL +NEXT");
            assertThat(lines[1])
                    .startsWith("later")
                    .contains("nobody")
                    .contains("2099-01-05T09:00:00Z")
                    .endsWith("Alice Example (alice)");
            assertThat(lines[2]).startsWith("primary").contains("Alice Example (alice)");
            JsonNode json =
                    TestServer.JSON.readTree(run(remote, "oncall", "--json").out());
            assertThat(json.path("oncall").get(1).path("now").path("contact").asText())
                    .isEqualTo("alice");
            assertThat(json.path("oncall").get(0).path("now").path("contact").isNull())
                    .isTrue();
        }
    }

    @Test
    void addListAndEndMaintenanceWindows() throws Exception {
        try (TestServer server = new TestServer(config())) {
            String[] remote = {"--server", server.url(), "--token", server.token};
            CliTest.Run add =
                    run(remote, "maintenance", "add", "--service", "api", "--duration", "2h", "--comment", "upgrade");
            assertThat(add.code()).as(add.err()).isZero();
            assertThat(add.out()).startsWith("Maintenance window 1 active for api: ");
            CliTest.Run weekly = run(
                    remote,
                    "maintenance",
                    "add",
                    "--service",
                    "postgres",
                    "--service",
                    "api",
                    "--day",
                    "sat",
                    "--at",
                    "23:00",
                    "--duration",
                    "3h",
                    "--time-zone",
                    "Europe/Berlin",
                    "--comment",
                    "backups");
            assertThat(weekly.code()).as(weekly.err()).isZero();
            assertThat(weekly.out())
                    .startsWith("Maintenance window 2 ")
                    .endsWith("for postgres, api: weekly saturday 23:00 for 3h Europe/Berlin.\n");

            CliTest.Run list = run(remote, "maintenance", "list");
            assertThat(list.out())
                    .startsWith("ID")
                    .contains("vacuum (config)")
                    .contains("weekly vacuum")
                    .contains("upgrade")
                    .contains("admin");
            CliTest.Run edit = run(
                    remote,
                    "maintenance",
                    "edit",
                    "1",
                    "--service",
                    "api",
                    "--service",
                    "postgres",
                    "--ends-at",
                    "2099-01-01T00:00:00Z",
                    "--comment",
                    "upgrade, longer");
            assertThat(edit.code()).as(edit.err()).isEqualTo(Main.FAILED); // a one-off window lasts at most 30 days
            assertThat(edit.err()).contains("field 'ends_at': a one-off window lasts at most 30d");
            edit = run(
                    remote,
                    "maintenance",
                    "edit",
                    "1",
                    "--service",
                    "api",
                    "--service",
                    "postgres",
                    "--comment",
                    "upgrade, longer");
            assertThat(edit.code()).as(edit.err()).isZero();
            assertThat(edit.out()).startsWith("Maintenance window 1 active for api, postgres: ");
            assertThat(run(remote, "maintenance", "end", "1").out())
                    .isEqualTo("Ended maintenance window 1 for api, postgres.\n");
            assertThat(run(remote, "maintenance", "edit", "1", "--comment", "again")
                            .err())
                    .contains("field 'id': window 1 has ended; make a new one");
            assertThat(run(remote, "maintenance", "list").out()).doesNotContain("upgrade");
            assertThat(server.json("/api/v1/audit?action=maintenance.")
                            .path("entries")
                            .size())
                    .isEqualTo(4);
            JsonNode all = TestServer.JSON.readTree(
                    run(remote, "maintenance", "list", "--all", "--json").out());
            assertThat(all.path("maintenance")).anySatisfy(w -> {
                assertThat(w.path("id").asLong()).isEqualTo(1);
                assertThat(w.path("state").asText()).isEqualTo("ended");
                assertThat(w.path("ended_by").asText()).isEqualTo("admin");
            });

            assertThat(run(remote, "maintenance", "add", "--service", "apii", "--duration", "1h", "--comment", "x")
                            .err())
                    .contains("400")
                    .contains("field 'services': no service named 'apii'");
            assertThat(run(remote, "maintenance", "add", "--service", "api", "--comment", "x")
                            .err())
                    .contains("field 'ends_at': give either ends_at or duration");
            assertThat(run(remote, "maintenance", "add", "--service", "api", "--duration", "31d", "--comment", "x")
                            .err())
                    .contains("field 'duration': a one-off window lasts at most 30d");
            assertThat(run(
                                    remote,
                                    "maintenance",
                                    "add",
                                    "--service",
                                    "api",
                                    "--day",
                                    "sun",
                                    "--duration",
                                    "1h",
                                    "--comment",
                                    "x")
                            .err())
                    .contains("field 'at': required for a weekly window (e.g. 02:00)");
            assertThat(run(
                                    remote,
                                    "maintenance",
                                    "add",
                                    "--service",
                                    "api",
                                    "--day",
                                    "someday",
                                    "--at",
                                    "02:00",
                                    "--duration",
                                    "1h",
                                    "--comment",
                                    "x")
                            .err())
                    .contains("field 'days[0]': expected a day such as sunday or sun, or daily; got 'someday'");
            assertThat(run(remote, "maintenance", "add", "--service", "api", "--duration", "1h", "--comment", " ")
                            .err())
                    .contains("field 'comment': required (say why, e.g. the upgrade)");
            assertThat(run(
                                    remote,
                                    "maintenance",
                                    "add",
                                    "--service",
                                    "api",
                                    "--day",
                                    "sun",
                                    "--at",
                                    "2am",
                                    "--duration",
                                    "1h",
                                    "--comment",
                                    "x")
                            .err())
                    .contains("field 'at': expected a time of day such as 02:00; got '2am'");
            assertThat(run(remote, "maintenance", "end", "99").err())
                    .contains("404")
                    .contains("no maintenance window 99");
        }
    }

    private static CliTest.Run run(String[] remote, String... args) throws Exception {
        String[] all = new String[args.length + remote.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(remote, 0, all, args.length, remote.length);
        return CliTest.run(all);
    }
}
