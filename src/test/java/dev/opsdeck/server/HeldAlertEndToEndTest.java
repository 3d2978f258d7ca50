package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service still down when the silence or maintenance window that held its page ends is paged then, exactly
 * once, counted at a real webhook receiver: a silence that expires on time, one expired by hand, a window ended by
 * hand, a window that ends on time; a service that recovered while silenced pages nothing.
 */
class HeldAlertEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void anAlertStillFiringWhenWhatHeldItEndsPagesOnce() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver();
        ServerSocket expires = listen(0),
                ended = listen(0),
                window = listen(0),
                overrun = listen(0),
                recovers = listen(0);
        int recoversPort = recovers.getLocalPort();
        try {
            Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                    server: { data_dir: "%s" }
                    monitoring: { jitter: 0%% }
                    channels:
                      hook: { type: webhook, url: "%s" }
                    incidents: { notify: [hook] }
                    services:
                      expires: { checks: { port: %s } }
                      ended: { checks: { port: %s } }
                      window: { checks: { port: %s } }
                      overrun: { checks: { port: %s } }
                      recovers: { checks: { port: %s } }
                    """.formatted(
                            dir.resolve("data"),
                            receiver.url(),
                            tcp(expires),
                            tcp(ended),
                            tcp(window),
                            tcp(overrun),
                            tcp(recovers)));
            try (TestServer server = new TestServer(config)) {
                for (String s : new String[] {"expires", "ended", "window", "overrun", "recovers"}) {
                    TestServer.awaitHttp(
                            () -> server.json("/api/v1/services/" + s)
                                    .path("status")
                                    .asText()
                                    .equals("up"),
                            s + " up");
                }
                silence(server, "expires", "8s");
                long byHand = silence(server, "ended", "1h");
                silence(server, "recovers", "8s");
                long windowId = created(send(
                        server,
                        "POST",
                        "/api/v1/maintenance",
                        "{\"services\": [\"window\"], \"duration\": \"1h\", \"comment\": \"upgrade\"}"));
                created(send(
                        server,
                        "POST",
                        "/api/v1/maintenance",
                        "{\"services\": [\"overrun\"], \"duration\": \"8s\", \"comment\": \"upgrade that overruns\"}"));

                expires.close();
                ended.close();
                window.close();
                overrun.close();
                recovers.close();
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/incidents?state=open")
                                        .path("incidents")
                                        .size()
                                == 5,
                        "five held outages recorded");
                assertThat(triggered(receiver, null)).as("held: nobody paged").isZero();
                recovers = listen(recoversPort); // recovers while silenced: resolved, never paged
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/incidents?state=open")
                                        .path("incidents")
                                        .size()
                                == 4,
                        "the recovered outage resolved");

                // ended by hand: paged at once (the outbox delivers it in the background)
                assertThat(send(server, "DELETE", "/api/v1/silences/" + byHand, null)
                                .statusCode())
                        .isEqualTo(200);
                assertThat(send(server, "DELETE", "/api/v1/maintenance/" + windowId, null)
                                .statusCode())
                        .isEqualTo(200);
                TestServer.await(
                        () -> triggered(receiver, "ended") == 1 && triggered(receiver, "window") == 1,
                        "the pages once the silence and the window were ended by hand");
                // ended on time: paged at the next beat
                TestServer.await(
                        () -> triggered(receiver, "expires") == 1 && triggered(receiver, "overrun") == 1,
                        "the pages once the silence and the window ran out");
                Thread.sleep(6_000); // more beats and probes: nothing pages twice, nothing pages for the recovered one
                assertThat(triggered(receiver, "expires")).isEqualTo(1);
                assertThat(triggered(receiver, "ended")).isEqualTo(1);
                assertThat(triggered(receiver, "window")).isEqualTo(1);
                assertThat(triggered(receiver, "overrun")).isEqualTo(1);
                assertThat(triggered(receiver, "recovers")).isZero();
                assertThat(receiver.received)
                        .filteredOn(m -> m.path("template").asText().equals("incident.triggered"))
                        .hasSize(4);

                long id = server.json("/api/v1/incidents?state=open&service=ended")
                        .path("incidents")
                        .get(0)
                        .path("id")
                        .asLong();
                JsonNode detail = server.json("/api/v1/incidents/" + id);
                assertThat(detail.path("alerts").get(0).path("suppressed").asBoolean())
                        .isFalse();
                JsonNode released = null;
                for (JsonNode t : detail.path("timeline"))
                    if (t.path("kind").asText().equals("alert_released")) released = t;
                assertThat(released).as("%s", detail).isNotNull();
                assertThat(released.path("text").asText())
                        .endsWith("(still firing, no longer silenced by silence #" + byHand + ")");
            }
        } finally {
            for (ServerSocket s : new ServerSocket[] {expires, ended, window, overrun, recovers}) s.close();
            receiver.close();
        }
    }

    private static String tcp(ServerSocket s) {
        return "{ type: tcp, host: 127.0.0.1, port: " + s.getLocalPort()
                + ", interval: 200ms, timeout: 1s, failure_threshold: 1 }";
    }

    /** Pages ({@code incident.triggered}) received about {@code service}; null: about any. */
    private static long triggered(WebhookReceiver receiver, String service) {
        return receiver.received.stream()
                .filter(m -> m.path("template").asText().equals("incident.triggered"))
                .filter(m -> service == null
                        || m.path("fields").path("service").asText().equals(service))
                .count();
    }

    private static long silence(TestServer server, String service, String duration) throws Exception {
        return created(send(server, "POST", "/api/v1/silences", """
                {"matchers": [{"name": "service", "op": "=", "value": "%s"}], "duration": "%s", "comment": "deploy"}""".formatted(service, duration)));
    }

    private static long created(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestServer.JSON.readTree(r.body()).path("id").asLong();
    }

    /** A port that answers (connections accepted and closed), as in the silence end-to-end test. */
    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket(port);
        Thread.ofVirtual().start(() -> {
            while (!s.isClosed()) {
                try {
                    s.accept().close();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return s;
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
