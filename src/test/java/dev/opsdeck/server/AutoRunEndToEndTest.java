package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto-run through the whole server: a check whose alert opts in goes down, the alert fires, its runbook runs
 * once, linked to the incident and on its timeline; a re-fire within the same incident does not start it again,
 * and a silenced alert never starts it.
 */
class AutoRunEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void aFiringAlertStartsItsRunbookOncePerIncidentAndASilencedOneNever() throws Exception {
        List<ServerSocket> open = new ArrayList<>();
        ServerSocket port = listen(open, 0);
        ServerSocket other = listen(open, 0);
        ServerSocket cache = listen(open, 0);
        Path ran = dir.resolve("ran.txt");
        try {
            Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                    server: { data_dir: "%s" }
                    monitoring: { jitter: 0%% }
                    services:
                      indexer:
                        checks:
                          port:
                            type: tcp
                            host: 127.0.0.1
                            port: %d
                            interval: 200ms
                            timeout: 1s
                            failure_threshold: 1
                            alert:
                              runbook: rb-restart
                              auto_run: true
                              runbook_params: { target: "{{labels.service}}" }
                          other: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                      cache:
                        checks:
                          port:
                            type: tcp
                            host: 127.0.0.1
                            port: %d
                            interval: 200ms
                            timeout: 1s
                            failure_threshold: 1
                            alert: { runbook: rb-restart, auto_run: true, runbook_params: { target: "{{labels.service}}" } }
                    runbooks:
                      rb-restart:
                        params:
                          target: { type: string, required: true, pattern: "^[a-z]+$" }
                        concurrency: { mode: parallel }
                        steps:
                          - { id: restart, type: shell, run: 'echo "$1" >> "$2"', args: ["{{params.target}}", "%s"] }
                    """.formatted(
                            dir.resolve("data"), port.getLocalPort(), other.getLocalPort(), cache.getLocalPort(), ran));
            try (TestServer server = new TestServer(config)) {
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/services/indexer")
                                        .path("status")
                                        .asText()
                                        .equals("up")
                                && server.json("/api/v1/services/cache")
                                        .path("status")
                                        .asText()
                                        .equals("up"),
                        "services up");

                // silenced: recorded as an incident, the runbook is not started
                HttpResponse<String> silence = send(server, "POST", "/api/v1/silences", """
                        {"matchers": [{"name": "service", "op": "=", "value": "cache"}], "duration": "1h", "comment": "work"}""");
                assertThat(silence.statusCode()).as(silence.body()).isEqualTo(201);
                cache.close();
                TestServer.awaitHttp(() -> incidentOf(server, "cache") != null, "the silenced outage recorded");

                // the other check keeps the indexer's incident open while the auto-run check fires, clears and re-fires
                other.close();
                TestServer.awaitHttp(() -> incidentOf(server, "indexer") != null, "the indexer incident");
                long incident = incidentOf(server, "indexer").path("id").asLong();
                port.close();
                TestServer.awaitHttp(() -> runs(server).size() == 1, "the runbook started by the firing alert");
                JsonNode run = runs(server).get(0);
                assertThat(run.path("started_by").asText()).isEqualTo("alert:indexer/port");
                assertThat(run.path("incident_id").asLong()).isEqualTo(incident);
                assertThat(run.path("params").path("target").asText()).isEqualTo("indexer");
                TestServer.awaitHttp(
                        () -> runs(server).get(0).path("status").asText().equals("succeeded"), "the run done");
                TestServer.awaitHttp(
                        () -> timeline(server, incident).stream()
                                .anyMatch(t -> t.startsWith("Runbook rb-restart run "
                                        + run.path("id").asText() + " succeeded")),
                        "the run's end on the timeline");
                assertThat(timeline(server, incident))
                        .contains(
                                "Runbook rb-restart run " + run.path("id").asText() + " started by alert:indexer/port");

                port = listen(open, port.getLocalPort()); // the alert resolves; the incident stays open (other is down)
                TestServer.awaitHttp(
                        () -> alertState(server, incident, "indexer/port").equals("resolved"), "resolved");
                port.close(); // re-fires within the same incident
                TestServer.awaitHttp(
                        () -> alertState(server, incident, "indexer/port").equals("firing"), "re-fired");
                assertThat(incidentOf(server, "indexer").path("id").asLong()).isEqualTo(incident);

                assertThat(runs(server))
                        .as("one run for the incident, none for the silenced alert")
                        .hasSize(1);
                assertThat(Files.readAllLines(ran)).containsExactly("indexer");
            }
        } finally {
            for (ServerSocket s : open) s.close();
        }
    }

    private static ServerSocket listen(List<ServerSocket> open, int port) throws Exception {
        ServerSocket s = new ServerSocket(port);
        open.add(s);
        return s;
    }

    private static JsonNode incidentOf(TestServer server, String service) throws Exception {
        for (JsonNode i : server.json("/api/v1/incidents?state=open").path("incidents")) {
            if (i.path("service").asText().equals(service)) return i;
        }
        return null;
    }

    private static List<JsonNode> runs(TestServer server) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        server.json("/api/v1/runs?runbook=rb-restart").path("runs").forEach(out::add);
        return out;
    }

    private static List<String> timeline(TestServer server, long incident) throws Exception {
        List<String> out = new ArrayList<>();
        server.json("/api/v1/incidents/" + incident)
                .path("timeline")
                .forEach(t -> out.add(t.path("text").asText()));
        return out;
    }

    private static String alertState(TestServer server, long incident, String name) throws Exception {
        for (JsonNode a : server.json("/api/v1/incidents/" + incident).path("alerts")) {
            if (a.path("name").asText().equals(name)) return a.path("state").asText();
        }
        return "";
    }

    private static HttpResponse<String> send(TestServer server, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + server.token)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
