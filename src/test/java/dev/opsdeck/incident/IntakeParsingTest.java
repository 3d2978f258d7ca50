package dev.opsdeck.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.config.IntegrationsConfig;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alertmanager and events payloads: what they become, and the exact message for each bad field. */
class IntakeParsingTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final IntegrationsConfig.Integration AM =
            new IntegrationsConfig.Integration("prom", "alertmanager", "t", "P3", "severity");
    static final IntegrationsConfig.Integration EV =
            new IntegrationsConfig.Integration("ci", "events", "u", "P2", "severity");
    static final Instant NOW = Instant.parse("2025-06-04T08:00:00Z");

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    static String alert(String status, String extra) {
        return "{'status': '" + status
                + "', 'labels': {'alertname': 'IndexerDown', 'severity': 'critical', 'job': 'indexer'},"
                + " 'annotations': {'summary': 'indexer down', 'runbook_url': 'https://rb/RB-002'},"
                + " 'startsAt': '2025-06-04T07:59:00Z', 'endsAt': '0001-01-01T00:00:00Z', 'fingerprint': 'abc123'"
                + extra + "}";
    }

    static List<String> amProblems(String body) {
        try {
            AlertmanagerIntake.parse(json(body), AM);
        } catch (IntakeRejected e) {
            return e.problems();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + body);
    }

    @Test
    void alertmanagerFiringAndResolved() throws Exception {
        List<AlertEvent> events = AlertmanagerIntake.parse(
                json("{'version': '4', 'status': 'firing', 'groupKey': 'g',"
                        + " 'receiver': 'opsdeck', 'alerts': [" + alert("firing", "") + ", "
                        + alert("resolved", "")
                                .replace("0001-01-01T00:00:00Z", "2025-06-04T08:10:00Z")
                                .replace("abc123", "def")
                        + "]}"),
                AM);
        assertThat(events).hasSize(2);
        AlertEvent fired = events.getFirst();
        assertThat(fired.fingerprint()).isEqualTo("abc123");
        assertThat(fired.source()).isEqualTo("alertmanager");
        assertThat(fired.name()).isEqualTo("IndexerDown");
        assertThat(fired.state()).isEqualTo(AlertEvent.State.FIRING);
        assertThat(fired.severity()).isEqualTo(AlertEvent.Severity.P1);
        assertThat(fired.service()).isEqualTo("indexer");
        assertThat(fired.summary()).isEqualTo("indexer down");
        assertThat(fired.runbook()).isEqualTo("https://rb/RB-002");
        assertThat(fired.at()).isEqualTo(Instant.parse("2025-06-04T07:59:00Z"));
        assertThat(events.get(1).state()).isEqualTo(AlertEvent.State.RESOLVED);
        assertThat(events.get(1).at()).isEqualTo(Instant.parse("2025-06-04T08:10:00Z"));
    }

    @Test
    void unknownSeverityLabelsTakeTheIntegrationDefault() throws Exception {
        String body = "{'version': '4', 'status': 'firing', 'alerts': ["
                + alert("firing", "").replace("critical", "whatever") + "]}";
        assertThat(AlertmanagerIntake.parse(json(body), AM).getFirst().severity())
                .isEqualTo(AlertEvent.Severity.P3);
    }

    @Test
    void eachBadAlertmanagerFieldIsNamed() {
        assertThat(amProblems("[]")).containsExactly("body: expected a JSON object");
        assertThat(amProblems("{}")).containsExactly("version: required", "status: required", "alerts: required");
        assertThat(amProblems("{'version': '3', 'status': 'burning', 'alerts': {}}"))
                .containsExactly(
                        "version: expected \"4\" (the Alertmanager webhook format); got '3'",
                        "status: expected one of firing, resolved; got 'burning'",
                        "alerts: expected a list, got an object");
        String ok = alert("firing", "");
        assertThat(amProblems("{'version': '4', 'status': 'firing', 'alerts': [" + ok + ", " + ok + ", "
                        + ok.replace("{'alertname': 'IndexerDown', 'severity': 'critical', 'job': 'indexer'}", "['x']")
                        + ", 7]}"))
                .containsExactly(
                        "alerts[2].labels: expected an object, got a list",
                        "alerts[3]: expected an object, got a number");
        assertThat(amProblems("{'version': '4', 'status': 'firing', 'alerts': ["
                        + ok.replace("'alertname': 'IndexerDown', ", "")
                                .replace("'job': 'indexer'", "'job': 5")
                                .replace("2025-06-04T07:59:00Z", "yesterday")
                                .replace("'status': 'firing'", "'status': 1")
                        + "]}"))
                .containsExactly(
                        "alerts[0].status: expected text, got a number",
                        "alerts[0].labels.job: expected text, got a number",
                        "alerts[0].labels.alertname: required",
                        "alerts[0].startsAt: expected an RFC 3339 time such as 2026-01-02T03:04:05Z; got 'yesterday'");
        assertThat(amProblems("{'version': '4', 'status': 'firing', 'alerts': [{'status': 'firing'}]}"))
                .containsExactly("alerts[0].labels: required", "alerts[0].startsAt: required");
    }

    @Test
    void eventsTriggerAcknowledgeResolve() throws Exception {
        AlertEvent e = EventsIntake.parse(
                json("{'routing_key': 'r', 'event_action': 'trigger', 'dedup_key': 'disk-1',"
                        + " 'payload': {'summary': 'disk 91%', 'source': 'db-1', 'severity': 'warning', 'component': 'disk',"
                        + " 'custom_details': {'used': 91, 'mount': '/var'}}}"),
                EV,
                NOW);
        assertThat(e.fingerprint()).isEqualTo("disk-1");
        assertThat(e.state()).isEqualTo(AlertEvent.State.FIRING);
        assertThat(e.severity()).isEqualTo(AlertEvent.Severity.P3);
        assertThat(e.service()).isEqualTo("db-1");
        assertThat(e.labels())
                .containsEntry("used", "91")
                .containsEntry("mount", "/var")
                .containsEntry("component", "disk");
        assertThat(e.at()).isEqualTo(NOW);
        assertThat(EventsIntake.parse(json("{'event_action': 'acknowledge', 'dedup_key': 'disk-1'}"), EV, NOW)
                        .state())
                .isEqualTo(AlertEvent.State.ACKNOWLEDGED);
        assertThat(EventsIntake.parse(json("{'event_action': 'resolve', 'dedup_key': 'disk-1'}"), EV, NOW)
                        .state())
                .isEqualTo(AlertEvent.State.RESOLVED);
        String generated = EventsIntake.parse(
                        json("{'event_action': 'trigger', 'payload': {'summary': 's', 'source': 'h',"
                                + " 'severity': 'info'}}"),
                        EV,
                        NOW)
                .fingerprint();
        assertThat(generated)
                .hasSize(16)
                .isEqualTo(EventsIntake.parse(
                                json("{'event_action': 'trigger', 'payload':"
                                        + " {'summary': 's', 'source': 'h', 'severity': 'critical'}}"),
                                EV,
                                NOW)
                        .fingerprint());
    }

    @Test
    void eachBadEventsFieldIsNamed() {
        assertThat(evProblems("{}")).containsExactly("event_action: required");
        assertThat(evProblems("{'event_action': 'explode'}"))
                .containsExactly("event_action: expected one of acknowledge, resolve, trigger; got 'explode'");
        assertThat(evProblems("{'event_action': 'resolve'}")).containsExactly("dedup_key: required");
        assertThat(evProblems("{'event_action': 'trigger'}")).containsExactly("payload: required");
        assertThat(evProblems("{'event_action': 'trigger', 'payload': []}"))
                .containsExactly("payload: expected an object, got a list");
        assertThat(evProblems(
                        "{'event_action': 'trigger', 'dedup_key': 5, 'payload': {'summary': 'x', 'severity': 'bad',"
                                + " 'timestamp': 'now', 'custom_details': 'text'}}"))
                .containsExactly(
                        "dedup_key: expected text, got a number",
                        "payload.source: required",
                        "payload.severity: expected one of critical, error, info, warning; got 'bad'",
                        "payload.timestamp: expected an RFC 3339 time such as 2026-01-02T03:04:05Z; got 'now'",
                        "payload.custom_details: expected an object, got text");
        assertThatThrownBy(() -> EventsIntake.parse(
                        json("{'event_action': 'trigger', 'dedup_key': '" + "k".repeat(256)
                                + "', 'payload': {'summary': 'x', 'source': 'y', 'severity': 'info'}}"),
                        EV,
                        NOW))
                .hasMessage("dedup_key: expected 1 to 255 characters");
    }

    static List<String> evProblems(String body) {
        try {
            EventsIntake.parse(json(body), EV, NOW);
        } catch (IntakeRejected e) {
            return e.problems();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + body);
    }
}
