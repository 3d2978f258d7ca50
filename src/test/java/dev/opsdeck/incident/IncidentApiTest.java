package dev.opsdeck.incident;

import static dev.opsdeck.incident.ApiHarness.AM_TOKEN;
import static dev.opsdeck.incident.ApiHarness.alertmanager;
import static dev.opsdeck.incident.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.server.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/v1/incidents on a real server: transitions with who, notes as data, assignment, filters, stats, metrics. */
class IncidentApiTest {
    @TempDir
    static Path dir;

    static ApiHarness api;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiHarness(dir);
    }

    @AfterAll
    static void stop() {
        if (api != null) api.close();
    }

    static long open(String fingerprint) throws Exception {
        HttpResponse<String> r = api.post(
                "/api/v1/intake/alertmanager",
                AM_TOKEN,
                alertmanager("firing", fingerprint, "Down-" + fingerprint, "0001-01-01T00:00:00Z"));
        return json(r).path("incidents").get(0).asLong();
    }

    @Test
    void ackResolveReopenWithWhoAndConflicts() throws Exception {
        long id = open("api-states");
        HttpResponse<String> ack = api.post("/api/v1/incidents/" + id + "/ack", "");
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        assertThat(json(ack).path("acknowledged_by").asText()).isEqualTo("admin");
        HttpResponse<String> again = api.post("/api/v1/incidents/" + id + "/ack", "");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).path("detail").asText())
                .isEqualTo("incident " + id + " is acknowledged; only a triggered incident can be acknowledged");
        assertThat(json(api.post("/api/v1/incidents/" + id + "/resolve", ""))
                        .path("state")
                        .asText())
                .isEqualTo("resolved");
        assertThat(json(api.post("/api/v1/incidents/" + id + "/reopen", ""))
                        .path("state")
                        .asText())
                .isEqualTo("triggered");
        assertThat(api.post("/api/v1/incidents/999999/ack", "").statusCode()).isEqualTo(404);
        assertThat(api.post("/api/v1/incidents/abc/ack", "").statusCode()).isEqualTo(404);

        JsonNode detail = api.json("/api/v1/incidents/" + id);
        assertThat(detail.path("timeline").findValuesAsText("kind")).contains("alert_fired", "state", "notification");
        JsonNode notification = detail.path("notifications").get(0);
        assertThat(notification.path("idempotency_key").asText()).isEqualTo("incident-" + id + "-triggered-1-ops");
        assertThat(notification.path("delivery").path("status").asText()).isEqualTo("pending");
        JsonNode audit = api.json("/api/v1/audit?action=incident.&limit=10").path("entries");
        assertThat(audit.findValuesAsText("action")).contains("incident.ack", "incident.resolve", "incident.reopen");
        assertThat(audit.get(0).path("target").asText()).isEqualTo("incident:" + id);
    }

    @Test
    void aNoteIsReturnedExactlyAsWrittenAsJsonData() throws Exception {
        long id = open("api-note");
        String xss = "<script>alert('x')</script><img src=x onerror=alert(1)> **bold**\n- item";
        HttpResponse<String> r =
                api.post("/api/v1/incidents/" + id + "/notes", TestServer.JSON.writeValueAsString(Map.of("text", xss)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(json(r).path("text").asText()).isEqualTo(xss);
        JsonNode notes = api.json("/api/v1/incidents/" + id).path("timeline");
        assertThat(notes.findValuesAsText("text")).contains(xss);
        assertThat(json(api.post("/api/v1/incidents/" + id + "/notes", "{\"text\": \" \"}"))
                        .path("detail")
                        .asText())
                .isEqualTo("field 'text': must not be empty");
        assertThat(json(api.post("/api/v1/incidents/" + id + "/notes", "{\"note\": \"x\"}"))
                        .path("detail")
                        .asText())
                .isEqualTo("unknown field 'note'; known: text");
    }

    @Test
    void aResolvedIncidentNobodyAcknowledgedHasNoTimeToAcknowledgeAndItsClocksStop() throws Exception {
        long id = open("api-unacked");
        assertThat(api.json("/api/v1/incidents/" + id)
                        .path("sla")
                        .path("time_to_ack_seconds")
                        .isIntegralNumber())
                .as("so far, while open")
                .isTrue();
        assertThat(json(api.post("/api/v1/incidents/" + id + "/resolve", ""))
                        .path("state")
                        .asText())
                .isEqualTo("resolved");
        JsonNode sla = api.json("/api/v1/incidents/" + id).path("sla");
        Thread.sleep(1_100); // wall time passes: nothing of a resolved incident may grow with it
        JsonNode later = api.json("/api/v1/incidents/" + id).path("sla");
        assertThat(later.has("time_to_ack_seconds")).isTrue();
        assertThat(later.path("time_to_ack_seconds").isNull()).as("%s", later).isTrue();
        assertThat(later.path("time_to_resolve_seconds")).isEqualTo(sla.path("time_to_resolve_seconds"));
    }

    @Test
    void assignToAUserThatExists() throws Exception {
        long id = open("api-assign");
        assertThat(json(api.post("/api/v1/incidents/" + id + "/assign", "{\"user\": \"admin\"}"))
                        .path("assignee")
                        .asText())
                .isEqualTo("admin");
        HttpResponse<String> nobody = api.post("/api/v1/incidents/" + id + "/assign", "{\"user\": \"nobody\"}");
        assertThat(nobody.statusCode()).isEqualTo(400);
        assertThat(json(nobody).path("detail").asText()).isEqualTo("field 'user': no user named 'nobody'");
        assertThat(json(api.post("/api/v1/incidents/" + id + "/assign", "{}"))
                        .path("assignee")
                        .isNull())
                .isTrue();
    }

    @Test
    void filtersStatsAndMetrics() throws Exception {
        long id = open("api-stats");
        api.post("/api/v1/incidents/" + id + "/ack", "");
        assertThat(api.json("/api/v1/incidents?state=acknowledged&severity=P1&service=indexer")
                        .path("incidents")
                        .findValuesAsText("id"))
                .contains(String.valueOf(id));
        assertThat(json(api.get("/api/v1/incidents?state=sleeping"))
                        .path("detail")
                        .asText())
                .isEqualTo("state: expected one of acknowledged, open, resolved, triggered; got 'sleeping'");
        assertThat(api.get("/api/v1/incidents?limit=0").statusCode()).isEqualTo(400);
        JsonNode stats = api.json("/api/v1/incidents/stats?window=7d");
        assertThat(stats.path("by_severity").findValuesAsText("severity")).contains("P1");
        assertThat(stats.path("by_service").get(0).has("mtta_seconds")).isTrue();
        assertThat(api.get("/api/v1/incidents/stats?window=forever").statusCode())
                .isEqualTo(400);
        api.server.server.incidents().tick();
        assertThat(api.get("/metrics").body())
                .contains("opsdeck_incidents_open{severity=\"P1\"}")
                .contains("opsdeck_incident_mtta_seconds{service=\"indexer\",severity=\"P1\"}")
                .contains("opsdeck_incident_sla_breaches_total");
    }
}
