package dev.opsdeck.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsdeck.ManualClock;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook and Slack deliveries to real HTTP receivers: signatures, shapes, and receivers that misbehave. */
class HttpDeliveryTest {
    static final ObjectMapper JSON = new ObjectMapper();
    TestDatabases.Backend backend;
    Store store;
    Receiver receiver;

    @BeforeEach
    void open() throws Exception {
        backend = TestDatabases.sqlite();
        store = backend.open();
        receiver = new Receiver();
    }

    @AfterEach
    void close() {
        receiver.close();
        store.close();
        backend.close();
    }

    Outbox outbox(String channelsYaml, Clock clock) {
        return new Outbox(
                store,
                () -> TestChannels.parse(channelsYaml),
                () -> "https://ops.example.com",
                new SimpleMeterRegistry(),
                clock,
                new Random(1));
    }

    @Test
    void aSignedWebhookCarriesTheKeyTimestampAndAnHmacTheReceiverCanRecompute() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T08:00:00Z"));
        Outbox outbox = outbox("""
                ops:
                  type: webhook
                  url: "%s"
                  secret: ${env:HOOK_SECRET}
                  headers: { X-Team: sre, User-Agent: custom }
                """.formatted(receiver.url("/ok")), clock);
        outbox.enqueue(
                "ops",
                "incident-9-triggered",
                "incident.triggered",
                Map.of(
                        "incident_id",
                        9,
                        "severity",
                        "P1",
                        "title",
                        "Checkout down",
                        "service",
                        "checkout",
                        "root_cause",
                        "postgres",
                        "impacted",
                        List.of("api", "web"),
                        "runbook",
                        "https://runbooks.example.com/rb-002"));
        outbox.deliverDue();
        Receiver.Request r = receiver.at("/ok").getFirst();
        assertThat(r.header("Idempotency-Key")).isEqualTo("incident-9-triggered");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("X-Team")).isEqualTo("sre");
        assertThat(r.header("User-Agent")).isEqualTo("custom");
        assertThat(r.header("X-Opsdeck-Timestamp")).isEqualTo("1772352000");
        String expected = Signature.sign("s3cret", 1772352000L, r.body().getBytes(StandardCharsets.UTF_8));
        assertThat(r.header("X-Opsdeck-Signature"))
                .isEqualTo(expected)
                .startsWith("sha256=")
                .hasSize(7 + 64);
        assertThat(Signature.sign("s3cret", 1772352001L, r.body().getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(expected);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("idempotency_key").asText()).isEqualTo("incident-9-triggered");
        assertThat(body.path("template").asText()).isEqualTo("incident.triggered");
        assertThat(body.path("headline").asText()).isEqualTo("[P1] Incident 9 triggered: Checkout down");
        assertThat(body.path("text").asText()).isEqualTo("""
                [P1] Incident 9 triggered: Checkout down
                Service: checkout
                Root cause: postgres
                Impacted: api, web
                Runbook: https://runbooks.example.com/rb-002
                Dashboard: https://ops.example.com/incidents/9""");
        assertThat(body.path("fields").path("impacted").toString()).isEqualTo("[\"api\",\"web\"]");
    }

    @Test
    void slackGetsTextAndBlocksWithAButtonToTheIncident() throws Exception {
        Outbox outbox = outbox("""
                chat:
                  type: slack
                  url: "%s"
                  templates:
                    incident.resolved: "Resolved: {{title}} ({{incident_id}})\\nby {{actor}}"
                """.formatted(receiver.url("/ok")), Clock.systemUTC());
        outbox.enqueue(
                "chat",
                "incident-3-resolved",
                "incident.resolved",
                Map.of("incident_id", 3, "title", "Disk full", "actor", "alice"));
        outbox.deliverDue();
        JsonNode body = JSON.readTree(receiver.at("/ok").getFirst().body());
        assertThat(body.path("text").asText()).isEqualTo("Resolved: Disk full (3)");
        assertThat(body.path("blocks").get(0).path("type").asText()).isEqualTo("section");
        assertThat(body.path("blocks").get(0).path("text").path("type").asText())
                .isEqualTo("mrkdwn");
        assertThat(body.path("blocks").get(0).path("text").path("text").asText())
                .isEqualTo("Resolved: Disk full (3)\nby alice");
        assertThat(body.path("blocks")
                        .get(1)
                        .path("elements")
                        .get(0)
                        .path("url")
                        .asText())
                .isEqualTo("https://ops.example.com/incidents/3");
        assertThat(body.has("fields")).as("Slack's shape only").isFalse();
    }

    @Test
    void hangingFailingAndRedirectingReceiversDoNotDelayAHealthyOne() throws Exception {
        Outbox outbox = outbox(
                        """
                hang: { type: webhook, url: "%s", timeout: 3s }
                fail: { type: webhook, url: "%s" }
                loop: { type: webhook, url: "%s" }
                good: { type: webhook, url: "%s" }
                """.formatted(
                                        receiver.url("/hang"),
                                        receiver.url("/fail"),
                                        receiver.url("/redirect"),
                                        receiver.url("/ok")),
                        Clock.systemUTC())
                .start();
        try {
            for (int i = 0; i < 6; i++) {
                outbox.enqueue("hang", "hang-" + i, "test", Map.of());
                outbox.enqueue("fail", "fail-" + i, "test", Map.of());
                outbox.enqueue("loop", "loop-" + i, "test", Map.of());
            }
            long start = System.nanoTime();
            long good = outbox.enqueue("good", "good-1", "test", Map.of());
            Delivery d = outbox.awaitFirstResult(good, Duration.ofSeconds(5));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(d.status()).isEqualTo(Delivery.DELIVERED);
            assertThat(tookMs).as("healthy delivery while others hang").isLessThan(1_500);
            assertThat(receiver.at("/hang"))
                    .as("a hanging channel holds at most its own slots")
                    .hasSizeLessThanOrEqualTo(4);

            Delivery loop = outbox.awaitFirstResult(
                    outbox.deliveriesFor("loop-0").getFirst().id(), Duration.ofSeconds(5));
            assertThat(loop.lastError())
                    .startsWith("HTTP 302 redirect to " + receiver.url("/redirect") + " not followed");
            for (int i = 1; i < 6; i++) {
                outbox.awaitFirstResult(
                        outbox.deliveriesFor("loop-" + i).getFirst().id(), Duration.ofSeconds(5));
            }
            assertThat(receiver.at("/redirect"))
                    .as("one request per message: no redirect followed")
                    .hasSize(6);
            Delivery fail = outbox.awaitFirstResult(
                    outbox.deliveriesFor("fail-0").getFirst().id(), Duration.ofSeconds(5));
            assertThat(fail.lastError()).isEqualTo("HTTP 500: database is on fire");
            Delivery hang = outbox.awaitFirstResult(
                    outbox.deliveriesFor("hang-0").getFirst().id(), Duration.ofSeconds(8));
            assertThat(hang.lastError()).isEqualTo("no answer within 3000ms");
            assertThat(hang.status()).isEqualTo(Delivery.PENDING);
        } finally {
            outbox.close();
        }
    }

    @Test
    void anyTwoHundredCountsAndNothingElse() throws Exception {
        Outbox outbox = outbox("ok: { type: webhook, url: \"%s\" }".formatted(receiver.url("/ok")), Clock.systemUTC());
        receiver.okStatus(204);
        long a = outbox.enqueue("ok", "a", "test", Map.of());
        outbox.deliverDue();
        assertThat(outbox.delivery(a).orElseThrow().status()).isEqualTo(Delivery.DELIVERED);
        receiver.okStatus(409);
        long b = outbox.enqueue("ok", "b", "test", Map.of());
        outbox.deliverDue();
        Delivery refused = outbox.delivery(b).orElseThrow();
        assertThat(refused.lastError()).isEqualTo("HTTP 409 (permanent: not retried)");
        assertThat(refused.status()).isEqualTo(Delivery.FAILED);
    }

    @Test
    void aRefusalFailsAtOnceWithItsReasonWhileABusyReceiverIsRetried() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T08:00:00Z"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String yaml = """
                refusing: { type: webhook, url: "%s" }
                busy: { type: slack, url: "%s" }
                """.formatted(receiver.url("/refuse"), receiver.url("/busy"));
        Outbox outbox = new Outbox(store, () -> TestChannels.parse(yaml), () -> null, registry, clock, new Random(1));
        long refused = outbox.enqueue("refusing", "refused-1", "test", Map.of());
        long busy = outbox.enqueue("busy", "busy-1", "test", Map.of());
        assertThat(outbox.deliverDue()).isEqualTo(2);

        Delivery r = outbox.delivery(refused).orElseThrow();
        assertThat(r.status()).isEqualTo(Delivery.FAILED);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.lastError()).isEqualTo("HTTP 400: invalid payload (permanent: not retried)");
        assertThat(outbox.log(Delivery.FAILED, "refusing", 10))
                .singleElement()
                .satisfies(d -> assertThat(d.view())
                        .containsEntry("last_error", "HTTP 400: invalid payload (permanent: not retried)"));
        assertThat(registry.counter("opsdeck.notifications.failed", "channel", "refusing")
                        .count())
                .isEqualTo(1);
        Delivery b = outbox.delivery(busy).orElseThrow();
        assertThat(b.status()).isEqualTo(Delivery.PENDING);
        assertThat(b.lastError()).isEqualTo("HTTP 503");

        clock.advance(Duration.ofHours(25)); // past every horizon: only the busy message is still due
        assertThat(outbox.deliverDue()).isEqualTo(1);
        assertThat(outbox.delivery(busy).orElseThrow().status()).isEqualTo(Delivery.DELIVERED);
        assertThat(outbox.delivery(busy).orElseThrow().attempts()).isEqualTo(2);
        assertThat(receiver.at("/refuse")).as("one attempt, never retried").hasSize(1);
        assertThat(receiver.at("/busy")).hasSize(2);
        assertThat(registry.counter("opsdeck.notifications.failed", "channel", "busy")
                        .count())
                .isZero();
    }

    @Test
    void onlyA4xxOtherThanTimeoutTooEarlyAndTooManyIsARefusal() {
        for (int status : new int[] {400, 401, 403, 404, 409, 410, 413, 422, 451, 499}) {
            assertThat(HttpSender.refused(status)).as("HTTP %d", status).isTrue();
        }
        for (int status : new int[] {200, 302, 408, 425, 429, 500, 502, 503, 504}) {
            assertThat(HttpSender.refused(status)).as("HTTP %d", status).isFalse();
        }
    }
}
