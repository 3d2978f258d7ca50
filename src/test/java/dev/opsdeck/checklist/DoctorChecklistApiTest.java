package dev.opsdeck.checklist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opsdeck's own checklist over the API of a real server, as {@code opsdeck checklist show|run doctor} reach it: its
 * items with their evidence, a run on demand, and the regression alert of one of its items that passed and then
 * fails (the data directory opened to others), listed by {@code GET /api/v1/alerts} until a run proves it again.
 */
class DoctorChecklistApiTest {
    @TempDir
    Path dir;

    @Test
    void theDoctorChecklistRunsOverTheApiAndAnItemThatRegressesAlerts() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        Path config = Files.writeString(dir.resolve("opsdeck.yaml"), "server: { data_dir: \"" + data + "\" }\n");
        try (TestServer server = new TestServer(config)) {
            var shown = server.get("/api/v1/checklists/doctor");
            assertThat(shown.statusCode()).isEqualTo(200);
            JsonNode doctor = TestServer.JSON.readTree(shown.body());
            assertThat(doctor.path("title").asText()).isEqualTo("Opsdeck in production (opsdeck doctor)");
            assertThat(doctor.path("description").asText()).contains("not_ready is expected");
            assertThat(doctor.path("items").findValuesAsText("id"))
                    .contains("store-postgresql", "data-dir-private", "session-timeouts");

            var ran = server.send("POST", "/api/v1/checklists/doctor/run", null);
            assertThat(ran.statusCode()).as(ran.body()).isEqualTo(200);
            JsonNode run = TestServer.JSON.readTree(ran.body());
            assertThat(run.path("state").asText())
                    .as("an embedded store on a development setup")
                    .isEqualTo("not_ready");
            Map<String, JsonNode> items = items(run);
            assertThat(items.get("store-postgresql").path("state").asText()).isEqualTo("failed");
            assertThat(items.get("store-postgresql").path("message").asText()).contains("embedded");
            assertThat(items.get("data-dir-private").path("state").asText()).isEqualTo("passed");
            assertThat(server.json("/api/v1/checklists/doctor").path("last_run").isNull())
                    .isFalse();
            assertThat(server.json("/api/v1/alerts").path("alerts"))
                    .as("items that never passed raise nothing")
                    .isEmpty();

            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
            JsonNode regressed = TestServer.JSON.readTree(
                    server.send("POST", "/api/v1/checklists/doctor/run", null).body());
            assertThat(items(regressed).get("data-dir-private").path("state").asText())
                    .isEqualTo("failed");
            JsonNode alerts = server.json("/api/v1/alerts?state=firing").path("alerts");
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).path("fingerprint").asText()).isEqualTo("checklist/doctor/data-dir-private");
            assertThat(alerts.get(0).path("name").asText()).isEqualTo("ChecklistItemFailed");
            assertThat(alerts.get(0).path("severity").asText()).isEqualTo("P2");
            assertThat(alerts.get(0).path("summary").asText())
                    .startsWith("checklist doctor: the data directory must not be open to others is failed: ");
            TestServer.awaitHttp(
                    () -> server.json("/api/v1/incidents?state=open")
                                    .path("incidents")
                                    .size()
                            == 1,
                    "the regression's incident");

            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            server.send("POST", "/api/v1/checklists/doctor/run", null);
            assertThat(server.json("/api/v1/alerts").path("alerts")).isEmpty();
            TestServer.awaitHttp(
                    () -> server.json("/api/v1/incidents?state=open")
                            .path("incidents")
                            .isEmpty(),
                    "the incident to resolve");
        }
    }

    private static Map<String, JsonNode> items(JsonNode run) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode i : run.path("items")) out.put(i.path("item").asText(), i);
        return out;
    }
}
