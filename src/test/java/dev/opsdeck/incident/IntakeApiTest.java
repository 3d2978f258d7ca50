package dev.opsdeck.incident;

import static dev.opsdeck.incident.ApiHarness.AM_TOKEN;
import static dev.opsdeck.incident.ApiHarness.EV_TOKEN;
import static dev.opsdeck.incident.ApiHarness.alertmanager;
import static dev.opsdeck.incident.ApiHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The intake routes on a real server: tokens, deduplication, resolution, and bad payloads that store nothing. */
class IntakeApiTest {
    static final String AM = "/api/v1/intake/alertmanager", EVENTS = "/api/v1/intake/events";
    static final String NO_END = "0001-01-01T00:00:00Z";

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

    @Test
    void onlyTheRightIntegrationsTokenIsAccepted() throws Exception {
        String body = alertmanager("firing", "tok1", "TokenCheck", NO_END);
        for (String token : new String[] {null, "wrong", EV_TOKEN, api.server.token}) {
            HttpResponse<String> r = api.post(AM, token, body);
            assertThat(r.statusCode()).as("token %s", token).isEqualTo(401);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        }
        assertThat(json(api.post(AM, EV_TOKEN, body)).path("detail").asText())
                .isEqualTo("the token is for integration 'ci' of type events; it posts to /api/v1/intake/events");
        assertThat(api.post(EVENTS, AM_TOKEN, "{}").statusCode()).isEqualTo(401);
        assertThat(api.json("/api/v1/incidents?limit=500").path("incidents").toString())
                .doesNotContain("TokenCheck");
        assertThat(api.json("/api/v1/audit?action=intake.alertmanager")
                        .path("entries")
                        .get(0)
                        .path("outcome")
                        .asText())
                .isEqualTo("denied");
    }

    @Test
    void alertmanagerFiringDedupedThenResolved() throws Exception {
        HttpResponse<String> first = api.post(AM, AM_TOKEN, alertmanager("firing", "fp-dedup", "IndexerDown", NO_END));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        long id = json(first).path("incidents").get(0).asLong();
        assertThat(json(api.post(AM, AM_TOKEN, alertmanager("firing", "fp-dedup", "IndexerDown", NO_END)))
                        .path("incidents")
                        .get(0)
                        .asLong())
                .isEqualTo(id);
        JsonNode incident = api.json("/api/v1/incidents/" + id);
        assertThat(incident.path("state").asText()).isEqualTo("triggered");
        assertThat(incident.path("severity").asText()).isEqualTo("P1");
        assertThat(incident.path("service").asText()).isEqualTo("indexer");
        assertThat(incident.path("runbook").asText()).isEqualTo("https://runbooks.example/RB-002");
        assertThat(incident.path("alerts")).hasSize(1);

        assertThat(api.post(AM, AM_TOKEN, alertmanager("resolved", "fp-dedup", "IndexerDown", "2025-06-04T08:05:00Z"))
                        .statusCode())
                .isEqualTo(200);
        incident = api.json("/api/v1/incidents/" + id);
        assertThat(incident.path("state").asText()).isEqualTo("resolved");
        assertThat(incident.path("resolved_by").asText()).isEqualTo("opsdeck");
        assertThat(incident.path("alerts").get(0).path("resolved_at").asText()).isEqualTo("2025-06-04T08:05:00Z");
        JsonNode audit = api.json("/api/v1/audit?action=intake.alertmanager&actor=integration:prom");
        assertThat(audit.path("entries")
                        .get(0)
                        .path("details")
                        .path("incidents")
                        .get(0)
                        .asLong())
                .isEqualTo(id);
    }

    @Test
    void aBadPayloadIsRefusedWholeNamingTheField() throws Exception {
        String good = alertmanager("firing", "fp-good", "Good", NO_END);
        String twoAlerts =
                good.replace("}]}", "}, 5, {\"status\": \"firing\", \"labels\": [1], \"startsAt\": \"2025\"}]}");
        int before = api.json("/api/v1/incidents?limit=500").path("incidents").size();
        HttpResponse<String> r = api.post(AM, AM_TOKEN, twoAlerts);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("detail").asText())
                .isEqualTo("alerts[1]: expected an object, got a number; "
                        + "alerts[2].labels: expected an object, got a list; "
                        + "alerts[2].startsAt: expected an RFC 3339 time such as 2026-01-02T03:04:05Z; got '2025'");
        assertThat(api.json("/api/v1/incidents?limit=500").path("incidents").size())
                .as("nothing stored")
                .isEqualTo(before);
        assertThat(json(api.post(AM, AM_TOKEN, "not json")).path("detail").asText())
                .isEqualTo("body: not JSON");
        assertThat(json(api.post(
                                EVENTS,
                                EV_TOKEN,
                                "{\"event_action\": \"trigger\", \"payload\": {\"summary\": \"x\","
                                        + " \"source\": \"db\", \"severity\": \"fatal\"}}"))
                        .path("detail")
                        .asText())
                .isEqualTo("payload.severity: expected one of critical, error, info, warning; got 'fatal'");
    }

    @Test
    void eventsTriggerAcknowledgeResolve() throws Exception {
        HttpResponse<String> r = api.post(
                EVENTS,
                EV_TOKEN,
                "{\"event_action\": \"trigger\", \"dedup_key\": \"disk-db1\","
                        + " \"payload\": {\"summary\": \"disk 91% on db-1\", \"source\": \"db-1\", \"severity\": \"error\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(json(r).path("dedup_key").asText()).isEqualTo("disk-db1");
        long id = json(r).path("incident_id").asLong();
        assertThat(api.json("/api/v1/incidents/" + id).path("severity").asText())
                .isEqualTo("P2");
        api.post(EVENTS, EV_TOKEN, "{\"event_action\": \"acknowledge\", \"dedup_key\": \"disk-db1\"}");
        JsonNode acked = api.json("/api/v1/incidents/" + id);
        assertThat(acked.path("state").asText()).isEqualTo("acknowledged");
        assertThat(acked.path("acknowledged_by").asText()).isEqualTo("integration:ci");
        api.post(EVENTS, EV_TOKEN, "{\"event_action\": \"resolve\", \"dedup_key\": \"disk-db1\"}");
        assertThat(api.json("/api/v1/incidents/" + id).path("state").asText()).isEqualTo("resolved");
    }
}
