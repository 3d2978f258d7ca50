package dev.opsdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.demo.DemoConfig;
import dev.opsdeck.demo.DemoInbox;
import dev.opsdeck.demo.DemoStack;
import dev.opsdeck.server.TestServer;
import java.nio.file.Files;
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
            Path config = Files.writeString(
                    dir.resolve("opsdeck.yaml"),
                    DemoConfig.yaml(
                            stack.ports(),
                            stack.inbox().url(),
                            0,
                            dir.resolve("store").toString()));
            try (TestServer server = new TestServer(config)) {
                CliTest.Run none = CliTest.run("notify", "log", "--server", server.url(), "--token", server.token);
                assertThat(none.code()).as(none.err()).isZero();
                assertThat(none.out()).contains("No notifications.");

                stack.fault("indexer", DemoStack.Mode.DOWN);
                awaitInbox(stack.inbox(), "incident.triggered", 90);
                DemoInbox.Received page = stack.inbox().received().stream()
                        .filter(r -> r.template().equals("incident.triggered"))
                        .findFirst()
                        .orElseThrow();
                assertThat(page.headline()).contains("indexer");

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
                long id = incidents.path("incidents").get(0).path("id").asLong();
                TestServer.awaitHttp(
                        () -> server.json("/api/v1/incidents/" + id)
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
        while (inbox.received().stream().noneMatch(r -> r.template().equals(template))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no " + template + " within " + seconds + " s; received " + inbox.received());
            }
            Thread.sleep(200);
        }
    }
}
