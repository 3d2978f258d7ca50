package dev.opsdeck.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsdeck.ManualClock;
import dev.opsdeck.store.OnEachBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox on a real store, once per backend, with a hand-moved clock and a real HTTP receiver. */
abstract class OutboxContract extends OnEachBackend {
    static final Instant START = Instant.parse("2026-03-01T08:00:00Z");

    Receiver receiver;
    ManualClock clock;
    SimpleMeterRegistry registry;
    final AtomicReference<Channels> channels = new AtomicReference<>();
    Outbox outbox;

    @BeforeAll
    void startReceiver() throws Exception {
        receiver = new Receiver();
    }

    @AfterAll
    void stopReceiver() {
        receiver.close();
    }

    @Override
    protected List<String> reset() {
        return List.of("DELETE FROM outbox");
    }

    @BeforeEach
    void wire() throws Exception {
        receiver.requests.clear();
        clock = new ManualClock(START);
        registry = new SimpleMeterRegistry();
        channels.set(TestChannels.parse("""
                ok: { type: webhook, url: "%s" }
                down: { type: webhook, url: "%s", retry_horizon: 2m }
                """.formatted(receiver.url("/ok"), receiver.url("/fail"))));
        outbox = new Outbox(store, channels::get, () -> "https://ops.example.com/", registry, clock, new Random(7));
    }

    @Test
    void enqueueingAKeyTwiceWritesOneRowAndDeliversOnce() throws Exception {
        long id = outbox.enqueue(
                "ok", "incident-1-triggered", "incident.triggered", Map.of("incident_id", 1, "title", "API down"));
        assertThat(outbox.enqueue("ok", "incident-1-triggered", "incident.triggered", Map.of("title", "changed")))
                .isEqualTo(id);
        assertThat(count()).isEqualTo(1);
        assertThat(outbox.deliverDue()).isEqualTo(1);
        assertThat(outbox.deliverDue()).isZero();
        assertThat(receiver.at("/ok")).hasSize(1).first().satisfies(r -> {
            assertThat(r.header("Idempotency-Key")).isEqualTo("incident-1-triggered");
            assertThat(r.body()).contains("\"title\":\"API down\"").contains("https://ops.example.com/incidents/1");
        });
        Delivery d = outbox.delivery(id).orElseThrow();
        assertThat(d.status()).isEqualTo(Delivery.DELIVERED);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.deliveredMs()).isEqualTo(START.toEpochMilli());
        assertThat(registry.counter("opsdeck.notifications.delivered", "channel", "ok")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void failedAttemptsBackOffExponentiallyWithJitterUntilTheHorizon() throws Exception {
        long id = outbox.enqueue("down", "k-1", "test", Map.of());
        List<Long> waits = new ArrayList<>();
        for (int attempt = 1;
                attempt <= 20 && !outbox.delivery(id).orElseThrow().finished();
                attempt++) {
            assertThat(outbox.deliverDue()).as("attempt %d is due", attempt).isEqualTo(1);
            Delivery d = outbox.delivery(id).orElseThrow();
            assertThat(d.attempts()).isEqualTo(attempt);
            assertThat(d.lastError()).isEqualTo("HTTP 500: database is on fire");
            if (d.finished()) break;
            long wait = d.nextAttemptMs() - clock.millis();
            long step = Backoff.stepMs(attempt);
            assertThat(wait).as("wait after attempt %d", attempt).isBetween(step / 2, step);
            waits.add(wait);
            clock.advance(Duration.ofMillis(wait - 1));
            assertThat(outbox.deliverDue()).as("not due 1 ms early").isZero();
            clock.advance(Duration.ofMillis(1));
        }
        Delivery d = outbox.delivery(id).orElseThrow();
        assertThat(d.status()).isEqualTo(Delivery.FAILED);
        assertThat(clock.millis() - d.createdMs())
                .isLessThanOrEqualTo(Duration.ofMinutes(2).toMillis());
        assertThat(waits)
                .as("5 s, 10 s, 20 s, 40 s steps within a 2 min horizon")
                .hasSizeBetween(3, 5);
        assertThat(receiver.at("/fail")).hasSize(d.attempts());
        assertThat(registry.counter("opsdeck.notifications.failed", "channel", "down")
                        .count())
                .isEqualTo(1);
        assertThat(registry.counter("opsdeck.notification.attempts.failed", "channel", "down")
                        .count())
                .isEqualTo(d.attempts());
        assertThat(Backoff.stepMs(9)).isEqualTo(Duration.ofMinutes(15).toMillis());
    }

    @Test
    void aMessageForAChannelNotConfiguredYetWaitsForAReload() throws Exception {
        long id = outbox.enqueue("later", "k-later", "test", Map.of("actor", "alice"));
        outbox.deliverDue();
        Delivery d = outbox.delivery(id).orElseThrow();
        assertThat(d.status()).isEqualTo(Delivery.PENDING);
        assertThat(d.lastError()).isEqualTo("no channel named 'later' is configured");
        channels.set(TestChannels.parse("later: { type: webhook, url: \"%s\" }".formatted(receiver.url("/ok"))));
        clock.advance(Duration.ofSeconds(5));
        outbox.deliverDue();
        assertThat(outbox.delivery(id).orElseThrow().status()).isEqualTo(Delivery.DELIVERED);
        assertThat(receiver.at("/ok").getFirst().body()).contains("Sent by alice");
    }

    @Test
    void deliveriesAreFoundByKeyPrefixTakenLiterallyAndListedInTheLog() throws Exception {
        outbox.enqueue("ok", "incident-4-triggered", "incident.triggered", Map.of());
        outbox.enqueue("ok", "incident-4-resolved", "incident.resolved", Map.of());
        outbox.enqueue("down", "incident-42-triggered", "incident.triggered", Map.of());
        outbox.enqueue("ok", "a_b%c-1", "test", Map.of());
        outbox.enqueue("ok", "axbyc-1", "test", Map.of());
        outbox.deliverDue();
        assertThat(outbox.deliveriesFor("incident-4-"))
                .extracting(Delivery::idempotencyKey)
                .containsExactly("incident-4-triggered", "incident-4-resolved");
        assertThat(outbox.deliveriesFor("a_b%c"))
                .extracting(Delivery::idempotencyKey)
                .containsExactly("a_b%c-1");
        assertThat(outbox.log(null, null, 10))
                .extracting(Delivery::idempotencyKey)
                .containsExactly(
                        "axbyc-1", "a_b%c-1", "incident-42-triggered", "incident-4-resolved", "incident-4-triggered");
        assertThat(outbox.log("pending", null, 10))
                .extracting(Delivery::channel)
                .containsExactly("down");
        assertThat(outbox.log("delivered", "ok", 2))
                .extracting(Delivery::idempotencyKey)
                .containsExactly("axbyc-1", "a_b%c-1");
        assertThat(outbox.log(null, "nope", 10)).isEmpty();
    }

    @Test
    void badInputIsRefusedAndWritesNothing() {
        assertThatThrownBy(() -> outbox.enqueue("ok", " ", "test", Map.of())).hasMessage("idempotencyKey is empty");
        assertThatThrownBy(() -> outbox.enqueue("", "k", "test", Map.of())).hasMessage("channel is empty");
        assertThatThrownBy(() -> outbox.enqueue("ok", "k".repeat(301), "test", Map.of()))
                .hasMessage("idempotencyKey is longer than 300 characters");
        assertThatThrownBy(() -> outbox.enqueue("ok", "k", "incident.opened", Map.of()))
                .hasMessage("unknown template "
                        + "'incident.opened'; templates: backup.failed, backup.succeeded, deploy.failed, deploy.succeeded, drill.failed, drill.passed, "
                        + "incident.acknowledged, incident.escalated, incident.impacted, incident.resolved, incident.sla_breached, incident.triggered, "
                        + "runbook.notify, test");
        assertThat(count()).isZero();
    }

    @Test
    void twoWorkersOnOneStoreNeverAttemptTheSameMessage() throws Exception {
        for (int i = 0; i < 40; i++) outbox.enqueue("ok", "k-" + i, "test", Map.of());
        Outbox other = new Outbox(store, channels::get, () -> null, registry, clock, new Random(8));
        int[] sent = new int[2];
        Thread a = Thread.ofPlatform().start(() -> sent[0] = drain(outbox));
        Thread b = Thread.ofPlatform().start(() -> sent[1] = drain(other));
        a.join();
        b.join();
        assertThat(sent[0] + sent[1]).isEqualTo(40);
        assertThat(receiver.at("/ok"))
                .hasSize(40)
                .extracting(r -> r.header("Idempotency-Key"))
                .doesNotHaveDuplicates();
    }

    @Test
    void aChannelsMaxInFlightBoundsItsAttemptsAtOnceAndLeavesTheOtherChannelsAlone() throws Exception {
        channels.set(TestChannels.parse("""
                ok: { type: webhook, url: "%s" }
                hang: { type: webhook, url: "%s", timeout: 1s, max_in_flight: 2 }
                """.formatted(receiver.url("/ok"), receiver.url("/hang"))));
        for (int i = 0; i < 5; i++) outbox.enqueue("hang", "h-" + i, "test", Map.of());
        for (int i = 0; i < 6; i++) outbox.enqueue("ok", "o-" + i, "test", Map.of());
        assertThat(outbox.deliverDue()).isEqualTo(2 + 4); // hang: its own 2; ok: the default 4
        assertThat(receiver.at("/hang")).hasSize(2);
        assertThat(receiver.at("/ok")).hasSize(4);
        assertThat(outbox.deliverDue()).isEqualTo(2 + 2); // the claimed hang rows wait out their lease
        assertThat(receiver.at("/hang")).hasSize(4);
        assertThat(receiver.at("/ok")).hasSize(6);
    }

    /** Group commit: each caller returns only once its own row is marked, however many commit together. */
    @Test
    void concurrentDeliveredMarksAreEachCommittedBeforeTheirCallerGoesOn() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) ids.add(outbox.enqueue("ok", "m-" + i, "test", Map.of()));
        OutboxStore rows = new OutboxStore(store);
        DeliveredMarks marks = new DeliveredMarks(rows);
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (long id : ids) {
            threads.add(Thread.ofVirtual().start(() -> {
                marks.mark(id, clock.millis());
                String status = rows.find(id).orElseThrow().status();
                if (!status.equals(Delivery.DELIVERED)) wrong.add(id + " was " + status + " when mark returned");
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(wrong).isEmpty();
        assertThat(outbox.log(Delivery.PENDING, null, 100)).isEmpty();

        store.close(); // a commit that fails reaches every caller of its batch
        assertThatThrownBy(() -> marks.mark(ids.getFirst(), clock.millis())).isInstanceOf(RuntimeException.class);
    }

    private static int drain(Outbox o) {
        int n = 0;
        try {
            for (int round; (round = o.deliverDue()) > 0; ) n += round;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return n;
    }

    long count() {
        try (Connection c = store.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM outbox")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
