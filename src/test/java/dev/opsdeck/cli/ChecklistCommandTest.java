package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.auth.Role;
import dev.opsdeck.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code opsdeck checklist} against a real server: ready and not ready exit codes, the JSON document, an
 * attestation, a waiver requested by one operator and approved by another, the Markdown export to a file, and
 * refusals (an unknown checklist, a requester approving, bad options) with their messages and exit codes.
 */
class ChecklistCommandTest {
    @TempDir
    Path dir;

    @Test
    void listRunShowAttestWaiveAndExport() throws Exception {
        Path marker = dir.resolve("bootstrap.json");
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                server: { data_dir: "%s" }
                checklists:
                  prod:
                    title: Production readiness
                    sections:
                      - title: Host
                        items:
                          - id: bootstrap-shredded
                            title: Bootstrap file shredded
                            type: command
                            command: ["/bin/sh", "-c", "test ! -e '%s' || { echo found it; exit 1; }"]
                      - title: People
                        items:
                          - { id: cosign, severity: recommended, manual: { expires: 90d } }
                """.formatted(dir.resolve("data"), marker));
        try (TestServer server = new TestServer(config)) {
            String alice = key(server, "alice", Role.OPERATOR), bob = key(server, "bob", Role.OPERATOR);
            String[] admin = {"--server", server.url(), "--token", server.token};
            String[] asAlice = {"--server", server.url(), "--token", alice};
            String[] asBob = {"--server", server.url(), "--token", bob};

            CliTest.Run list = run(admin, "checklist", "list");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out())
                    .startsWith("NAME")
                    .contains("prod")
                    .contains("not_run")
                    .contains("Production readiness");

            Files.writeString(marker, "{}");
            CliTest.Run notReady = run(admin, "checklist", "run", "prod");
            assertThat(notReady.code()).as(notReady.err()).isEqualTo(Main.FAILED);
            assertThat(notReady.out())
                    .containsPattern("bootstrap-shredded +failed +.*EXIT_CODE")
                    .containsPattern("cosign +unattested")
                    .containsPattern("Checklist prod: not_ready, score 0% \\(run \\w+\\)\\.");

            Files.delete(marker);
            CliTest.Run ready = run(admin, "checklist", "run", "prod");
            assertThat(ready.code()).as(ready.out() + ready.err()).isZero();
            assertThat(ready.out())
                    .contains("bootstrap-shredded  passed")
                    .containsPattern("Checklist prod: ready, score 66% \\(run \\w+\\)\\.");

            JsonNode shown = TestServer.JSON.readTree(
                    run(admin, "checklist", "show", "prod", "--json").out());
            assertThat(shown.path("state").asText()).isEqualTo("ready");
            assertThat(shown.path("score").asInt()).isEqualTo(66);
            assertThat(shown.path("items").get(0).path("id").asText()).isEqualTo("bootstrap-shredded");
            assertThat(shown.path("items").get(0).path("state").asText()).isEqualTo("passed");

            CliTest.Run attest = run(asAlice, "checklist", "attest", "prod", "cosign", "--note", "walked through it");
            assertThat(attest.code()).as(attest.err()).isZero();
            assertThat(attest.out())
                    .startsWith("Attested prod/cosign until ")
                    .endsWith("checklist ready, score 100%.\n");

            Files.writeString(marker, "{}");
            CliTest.Run request = run(
                    asAlice,
                    "checklist",
                    "waive",
                    "prod",
                    "bootstrap-shredded",
                    "--reason",
                    "kept for the migration",
                    "--expires",
                    "30d",
                    "--json");
            assertThat(request.code()).as(request.err()).isZero();
            JsonNode waiver = TestServer.JSON.readTree(request.out());
            String id = waiver.path("id").asText();
            assertThat(waiver.path("requested_by").asText()).isEqualTo("alice");

            CliTest.Run own = run(asAlice, "checklist", "waive", "prod", "--approve", id);
            assertThat(own.code()).isEqualTo(Main.INVALID);
            assertThat(own.err()).contains("403");
            CliTest.Run approved = run(asBob, "checklist", "waive", "prod", "--approve", id);
            assertThat(approved.code()).as(approved.err()).isZero();
            assertThat(approved.out())
                    .startsWith("Approved waiver " + id + " of prod/bootstrap-shredded until ")
                    .endsWith("checklist ready, score 100%.\n");
            CliTest.Run waived = run(admin, "checklist", "run", "prod");
            assertThat(waived.code()).as(waived.out()).isZero();
            assertThat(waived.out()).containsPattern("bootstrap-shredded +waived");
            assertThat(run(admin, "checklist", "show", "prod").out())
                    .containsPattern(id + " +bootstrap-shredded +approved +alice +bob");

            Path report = dir.resolve("report.md");
            CliTest.Run export =
                    run(admin, "checklist", "export", "prod", "--format", "md", "--output", report.toString());
            assertThat(export.code()).as(export.err()).isZero();
            assertThat(export.out()).isEmpty();
            assertThat(Files.readString(report))
                    .contains("Production readiness")
                    .contains("kept for the migration")
                    .contains("walked through it")
                    .contains("bob");
            JsonNode exported = TestServer.JSON.readTree(run(admin, "checklist", "export", "prod", "--format", "json")
                    .out());
            assertThat(exported.path("exported_by").asText()).isNotBlank();

            CliTest.Run unknown = run(admin, "checklist", "run", "nope");
            assertThat(unknown.code()).isEqualTo(Main.INVALID);
            assertThat(unknown.err()).contains("404").contains("nope");
            assertThat(unknown.out()).isEmpty();
            assertThat(run(admin, "checklist", "show", "nope").code()).isEqualTo(Main.INVALID);
            CliTest.Run unreachable = CliTest.run("checklist", "run", "prod", "--server", "http://127.0.0.1:1");
            assertThat(unreachable.code()).isEqualTo(Main.UNREACHABLE);
            assertThat(unreachable.err()).contains("cannot reach the Opsdeck server");
            JsonNode runJson = TestServer.JSON.readTree(
                    run(admin, "checklist", "run", "prod", "--json").out());
            assertThat(runJson.path("state").asText()).isEqualTo("ready");
            assertThat(runJson.path("items").get(0).path("state").asText()).isEqualTo("waived");
            CliTest.Run noReason = run(asAlice, "checklist", "waive", "prod", "cosign", "--expires", "30d");
            assertThat(noReason.code()).isEqualTo(Main.INVALID);
            assertThat(noReason.err()).contains("--reason");
            CliTest.Run badFormat = run(admin, "checklist", "export", "prod", "--format", "pdf");
            assertThat(badFormat.code()).isEqualTo(Main.INVALID);
            assertThat(badFormat.err()).contains("--format: expected md or json, got 'pdf'");
            CliTest.Run badExpires =
                    run(asAlice, "checklist", "waive", "prod", "cosign", "--reason", "x", "--expires", "forever");
            assertThat(badExpires.code()).isEqualTo(Main.INVALID);
            assertThat(badExpires.err()).contains("400").contains("expected a duration such as 30d, got 'forever'");
        }
    }

    private static String key(TestServer server, String name, Role role) {
        server.server.access().users().create(name, role, "a long enough password for the cli test", false);
        return server.server
                .access()
                .apiKeys()
                .create("k", name, role, false, null)
                .secret();
    }

    private static CliTest.Run run(String[] remote, String... args) {
        String[] all = new String[args.length + remote.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(remote, 0, all, args.length, remote.length);
        return CliTest.run(all);
    }
}
