package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.demo.DemoConfig;
import dev.opsdeck.demo.DemoInbox;
import dev.opsdeck.demo.DemoStack;
import dev.opsdeck.server.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo shows the page an outage sends: its config tells every incident to the stack's inbox, a real webhook
 * receiver, and the message is in the notification log ({@code opsdeck notify log}) and on the incident's timeline.
 */
class DemoNotificationsTest {
    @TempDir
    Path dir;

    @Test
    void aFaultInTheDemoSendsAPageThatTheInboxTheLogAndTheIncidentShow() throws Exception {
        try (DemoStack stack = DemoStack.start("api", "indexer", "web")) {
            Path config = DemoConfig.write(dir, stack.ports(), stack.inbox().url(), 0);
            try (TestServer server = new TestServer(config)) {
                CliTest.Run none = CliTest.run("notify", "log", "--server", server.url(), "--token", server.token);
                assertThat(none.code()).as(none.err()).isZero();
                // the demo's certificate is made inside the 30-day warning, so its incident may be paged already
                assertThat(stack.inbox().received()).noneMatch(r -> r.headline().contains("indexer"));

                stack.fault("indexer", DemoStack.Mode.DOWN);
                awaitInbox(stack.inbox(), "incident.triggered", 90);
                DemoInbox.Received page = stack.inbox().received().stream()
                        .filter(r -> r.template().equals("incident.triggered")
                                && r.headline().contains("indexer"))
                        .findFirst()
                        .orElseThrow();

                // the inbox answers before the worker marks the row delivered: wait for that write, not just the page
                TestServer.awaitHttp(
                        () -> CliTest.run(
                                        "notify",
                                        "log",
                                        "--channel",
                                        "demo-inbox",
                                        "--server",
                                        server.url(),
                                        "--token",
                                        server.token)
                                .out()
                                .contains("delivered"),
                        "the delivery to be recorded");
                CliTest.Run log = CliTest.run(
                        "notify", "log", "--channel", "demo-inbox", "--server", server.url(), "--token", server.token);
                assertThat(log.code()).as(log.err()).isZero();
                assertThat(log.out())
                        .startsWith("ID")
                        .contains("demo-inbox")
                        .contains("incident.triggered")
                        .contains(page.idempotencyKey())
                        .contains("delivered");

                JsonNode incidents = server.json("/api/v1/incidents");
                long id = -1;
                for (JsonNode i : incidents.path("incidents"))
                    if (i.path("title").asText().contains("indexer"))
                        id = i.path("id").asLong();
                assertThat(id).as(incidents.toString()).isPositive();
                long indexerIncident = id;
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/incidents/" + indexerIncident)
                                .path("timeline")
                                .toString()
                                .contains("incident.triggered to demo-inbox: delivered"),
                        "the delivery on the incident's timeline");

                stack.fault("indexer", DemoStack.Mode.OK);
                awaitInbox(stack.inbox(), "incident.resolved", 60);
                CliTest.Run json = CliTest.run(
                        "notify",
                        "log",
                        "--status",
                        "delivered",
                        "--json",
                        "--server",
                        server.url(),
                        "--token",
                        server.token);
                assertThat(TestServer.JSON
                                .readTree(json.out())
                                .path("notifications")
                                .get(0)
                                .path("template")
                                .asText())
                        .isEqualTo("incident.resolved");
            }
        }
    }

    private static void awaitInbox(DemoInbox inbox, String template, int seconds) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (inbox.received().stream()
                .noneMatch(r -> r.template().equals(template) && r.headline().contains("indexer"))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no " + template + " within " + seconds + " s; received " + inbox.received());
            }
            Thread.sleep(200);
        }
    }
}
