package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.server.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsdeck review list|show} against a real server: the owed review, then the written one as Markdown. */
class ReviewCommandTest {
    @TempDir
    Path dir;

    @Test
    void listsTheOwedReviewThenPrintsTheWrittenOneAsMarkdown() throws Exception {
        Path config = Files.writeString(
                dir.resolve("opsdeck.yaml"), "server: { data_dir: \"" + dir.resolve("data") + "\" }\n");
        try (TestServer server = new TestServer(config)) {
            String[] remote = {"--server", server.url(), "--token", server.token};
            var fired = new AlertEvent(
                    "cli-review",
                    "rule",
                    "Down",
                    AlertEvent.State.FIRING,
                    AlertEvent.Severity.P1,
                    "postgres",
                    "postgres",
                    List.of(),
                    false,
                    Map.of(),
                    "postgres is down",
                    null,
                    null,
                    Instant.now(),
                    null);
            long id =
                    server.server.incidents().acceptAll(List.of(fired), "test").getFirst();
            assertThat(run(remote, "review", "list").out()).isEqualTo("No reviews (due).\n");
            server.server.incidents().resolve(id, "carol");

            CliTest.Run owed = run(remote, "review", "list");
            assertThat(owed.code()).as(owed.err()).isZero();
            assertThat(owed.out())
                    .startsWith("INCIDENT")
                    .contains(id + " ")
                    .contains("P1")
                    .contains("postgres is down")
                    .contains("not started")
                    .doesNotContain("OVERDUE");

            String body = TestServer.JSON.writeValueAsString(Map.of(
                    "root_cause",
                    "WAL filled the disk",
                    "impact",
                    "Trades failed",
                    "remediation",
                    "Freed space",
                    "detection_gap",
                    "Alert at 85 %",
                    "runbook_improvements",
                    "none",
                    "actions",
                    List.of(Map.of("description", "Alert earlier", "owner", "alice", "due", "2026-12-31"))));
            assertThat(send(server, "PUT", "/api/v1/incidents/" + id + "/review", body)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(send(server, "POST", "/api/v1/incidents/" + id + "/review/complete", "")
                            .statusCode())
                    .isEqualTo(200);

            assertThat(run(remote, "review", "list").out()).isEqualTo("No reviews (due).\n");
            assertThat(run(remote, "review", "list", "--show", "completed").out())
                    .contains("completed");
            CliTest.Run show = run(remote, "review", "show", String.valueOf(id));
            assertThat(show.code()).as(show.err()).isZero();
            assertThat(show.out())
                    .startsWith("# Post-incident review: incident " + id)
                    .contains("## Root cause\n\nWAL filled the disk")
                    .contains("| Alert earlier | alice | 2026-12-31 | open |")
                    .contains("completed")
                    .contains("by admin");
            JsonNode json = TestServer.JSON.readTree(
                    run(remote, "review", "show", String.valueOf(id), "--json").out());
            assertThat(json.path("stage").asText()).isEqualTo("completed");

            CliTest.Run bad = run(remote, "review", "list", "--show", "late");
            assertThat(bad.code()).isEqualTo(Main.FAILED);
            assertThat(bad.err())
                    .contains("400")
                    .contains("show: expected one of all, completed, due, overdue; got 'late'");
            assertThat(run(remote, "review", "show", "999").err())
                    .contains("404")
                    .contains("no incident 999");
        }
    }

    private static HttpResponse<String> send(TestServer server, String method, String path, String body)
            throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + path))
                                .method(method, HttpRequest.BodyPublishers.ofString(body))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + server.token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static CliTest.Run run(String[] remote, String... args) throws Exception {
        String[] all = new String[args.length + remote.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(remote, 0, all, args.length, remote.length);
        return CliTest.run(all);
    }
}
