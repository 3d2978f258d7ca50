package dev.opsdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Escalation and maintenance through the whole server, with a real SMTP server (GreenMail) and a real webhook
 * receiver: a service under maintenance goes down and nobody is paged; the indexer goes down and the policy's
 * first step mails the person on call for the rotation (at their own address) and pages the lead's webhook.
 */
class EscalationEndToEndTest {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dir;

    @Test
    void aMaintainedServiceIsRecordedWithoutPagingAndAnOutagePagesWhoIsOnCall() throws Exception {
        WebhookReceiver receiver = new WebhookReceiver();
        ServerSocket indexer = new ServerSocket(0), web = new ServerSocket(0);
        try {
            Path config = Files.writeString(dir.resolve("opsdeck.yaml"), """
                    server: { data_dir: "%s", public_url: "https://opsdeck.example.com" }
                    monitoring: { jitter: 0%% }
                    channels:
                      hook: { type: webhook, url: "%s" }
                      mail: { type: email, smtp: { host: 127.0.0.1, port: %d, starttls: false }, from: opsdeck@example.com, to: team@example.com }
                    contacts:
                      alice: { name: Alice Example, email: alice@example.com, notify: [mail] }
                      lead: { name: Lena Lead, notify: [hook] }
                    rotations:
                      primary: { members: [alice], start: 2020-01-06 }
                    escalation_policies:
                      everything: { default: true, steps: [{ rotations: [primary], contacts: [lead], wait: 15m }] }
                    services:
                      indexer:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                      web:
                        checks:
                          port: { type: tcp, host: 127.0.0.1, port: %d, interval: 200ms, timeout: 1s, failure_threshold: 1 }
                    """.formatted(
                            dir.resolve("data"),
                            receiver.url(),
                            SMTP.getSmtp().getPort(),
                            indexer.getLocalPort(),
                            web.getLocalPort()));
            try (TestServer server = new TestServer(config)) {
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/services/web")
                                        .path("status")
                                        .asText()
                                        .equals("up")
                                && server.json("/api/v1/services/indexer")
                                        .path("status")
                                        .asText()
                                        .equals("up"),
                        "both up");
                HttpResponse<String> window = send(
                        server,
                        "POST",
                        "/api/v1/maintenance",
                        "{\"services\": [\"web\"], \"duration\": \"1h\", \"comment\": \"moving the web host\"}");
                assertThat(window.statusCode()).as(window.body()).isEqualTo(201);

                web.close(); // under maintenance: recorded, not paged, no escalation
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/incidents?state=open&service=web")
                                        .path("incidents")
                                        .size()
                                == 1,
                        "the web outage recorded");
                long webIncident = server.json("/api/v1/incidents?state=open&service=web")
                        .path("incidents")
                        .get(0)
                        .path("id")
                        .asLong();
                JsonNode webDetail = server.json("/api/v1/incidents/" + webIncident);
                assertThat(webDetail.path("alerts").get(0).path("suppressed").asBoolean())
                        .as("%s", webDetail)
                        .isTrue();
                assertThat(webDetail.path("escalation").isNull()).isTrue();

                indexer.close(); // pages along the policy
                TestServer.awaitHttp(
                        () -> SMTP.getReceivedMessages().length == 1 && receiver.count("incident.triggered") == 1,
                        "the mail to alice and the lead's webhook");
                MimeMessage mail = SMTP.getReceivedMessages()[0];
                assertThat(Arrays.stream(mail.getRecipients(Message.RecipientType.TO))
                                .map(Object::toString))
                        .containsExactly("alice@example.com"); // her address, not the channel's team@
                assertThat(mail.getSubject()).contains("triggered");
                assertThat(GreenMailUtil.getBody(mail)).contains("Paged: Alice Example (on call for primary)");
                JsonNode page = receiver.received.stream()
                        .filter(m -> m.path("template").asText().equals("incident.triggered"))
                        .findFirst()
                        .orElseThrow();
                assertThat(page.path("fields").path("paged").asText()).isEqualTo("Lena Lead");
                assertThat(page.path("fields").path("contact").asText()).isEqualTo("Lena Lead");
                assertThat(page.path("fields").path("service").asText()).isEqualTo("indexer");

                long id = server.json("/api/v1/incidents?state=open&service=indexer")
                        .path("incidents")
                        .get(0)
                        .path("id")
                        .asLong();
                JsonNode detail = server.json("/api/v1/incidents/" + id);
                assertThat(detail.path("escalation").path("policy").asText()).isEqualTo("everything");
                assertThat(detail.path("escalation").path("state").asText()).isEqualTo("done"); // its only step ran
                assertThat(detail.path("timeline").toString())
                        .contains("step 1: paged Alice Example (on call for primary), Lena Lead");
                HttpResponse<String> html =
                        send(server, "GET", "/incidents/" + id, null); // the dashboard's incident page
                assertThat(html.statusCode()).isEqualTo(200);
                assertThat(html.body()).contains("<dd id=\"incident-escalation\">everything: every step has run</dd>");
                // the web incident never paged anyone
                assertThat(receiver.received.stream()
                                .filter(m -> m.path("fields")
                                        .path("service")
                                        .asText()
                                        .equals("web")))
                        .isEmpty();
                assertThat(server.json("/api/v1/audit?action=maintenance.")
                                .path("entries")
                                .size())
                        .isEqualTo(1);
            }
        } finally {
            indexer.close();
            web.close();
            receiver.close();
        }
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
