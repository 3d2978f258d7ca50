package dev.opsdeck.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsdeck.config.Position;
import dev.opsdeck.config.StoreConfig;
import dev.opsdeck.store.Store;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local spool of pages, against a real store and a real HTTP receiver: a spooled page is sent once, recorded
 * in the outbox under its key, and an enqueue of that key later records it instead of sending it again; a page the
 * spool has not delivered yet is taken over by the outbox (still once); the spool outlives its process.
 */
class PageSpoolTest {
    private static final String KEY = "alert-0123456789abcdef-1700000000000-triggered-hook";

    @TempDir
    Path dir;

    @Test
    void aSpooledPageIsSentOnceAndAnEnqueueOfItsKeyRecordsItInsteadOfSendingIt() throws Exception {
        try (Receiver receiver = new Receiver();
                Store store = store()) {
            Outbox outbox = outbox(store, () -> channels(receiver.url("/ok")));
            try {
                outbox.fallback(List.of(page()));
                await(() -> receiver.at("/ok").size() == 1, "the page");
                Receiver.Request sent = receiver.at("/ok").getFirst();
                assertThat(sent.header("Idempotency-Key")).isEqualTo(KEY);
                assertThat(new ObjectMapper().readTree(sent.body()).path("id").asLong())
                        .isZero();
                await(() -> outbox.deliveriesFor("alert-").size() == 1, "the page recorded in the outbox");
                Delivery recorded = outbox.deliveriesFor("alert-").getFirst();
                assertThat(recorded.status()).isEqualTo(Delivery.DELIVERED);
                assertThat(recorded.attempts()).isEqualTo(1);
                assertThat(spooled()).isEmpty();

                long id =
                        outbox.enqueue("hook", KEY, "incident.triggered", Map.of("incident_id", 7, "title", "db down"));
                assertThat(id).isEqualTo(recorded.id());
                Thread.sleep(1_500);
                assertThat(receiver.requests).as("sent once").hasSize(1);
            } finally {
                outbox.close();
            }
        }
    }

    @Test
    void aSpooledPageTheReceiverRefusesFailsAfterOneAttemptWithItsReason() throws Exception {
        try (Receiver receiver = new Receiver();
                Store store = store()) {
            Outbox outbox = outbox(store, () -> channels(receiver.url("/refuse")));
            try {
                outbox.fallback(List.of(page()));
                await(() -> outbox.deliveriesFor("alert-").size() == 1, "the refused page recorded in the outbox");
                Delivery recorded = outbox.deliveriesFor("alert-").getFirst();
                assertThat(recorded.status()).isEqualTo(Delivery.FAILED);
                assertThat(recorded.attempts()).isEqualTo(1);
                assertThat(recorded.lastError()).isEqualTo("HTTP 400: invalid payload (permanent: not retried)");
                assertThat(spooled()).isEmpty();
                assertThat(receiver.at("/refuse")).as("never retried").hasSize(1);
            } finally {
                outbox.close();
            }
        }
    }

    @Test
    void aPageNotDeliveredYetIsTakenOverByTheOutboxAndStillSentOnce() throws Exception {
        try (Receiver receiver = new Receiver();
                Store store = store()) {
            AtomicReference<Channels> channels = new AtomicReference<>(channels(receiver.url("/fail")));
            Outbox outbox = outbox(store, channels::get);
            try {
                outbox.fallback(List.of(page()));
                await(() -> receiver.at("/fail").size() == 1, "a first, failed attempt from the spool");
                assertThat(spooled()).hasSize(1);
                channels.set(channels(receiver.url("/ok")));
                outbox.enqueue("hook", KEY, "incident.triggered", Map.of("incident_id", 7, "title", "db down"));
                await(() -> receiver.at("/ok").size() == 1, "the page through the outbox");
                assertThat(spooled()).isEmpty();
                Thread.sleep(6_000); // past the spool's next attempt, had it kept the page
                assertThat(receiver.at("/ok")).as("sent once").hasSize(1);
                assertThat(receiver.at("/fail")).hasSize(1);
                assertThat(outbox.deliveriesFor(KEY).getFirst().status()).isEqualTo(Delivery.DELIVERED);
            } finally {
                outbox.close();
            }
        }
    }

    @Test
    void aSpooledPageOutlivesItsProcess() throws Exception {
        try (Receiver receiver = new Receiver();
                Store store = store()) {
            Outbox first = outbox(store, () -> channels(receiver.url("/fail")));
            first.fallback(List.of(page()));
            await(() -> receiver.at("/fail").size() == 1, "a first, failed attempt");
            first.close();
            assertThat(spooled()).hasSize(1);

            Outbox second = outbox(store, () -> channels(receiver.url("/ok")));
            try {
                await(() -> receiver.at("/ok").size() == 1, "the page from the next process's spool");
                await(() -> spooled().isEmpty(), "the page recorded in the outbox");
                assertThat(second.deliveriesFor(KEY).getFirst().status()).isEqualTo(Delivery.DELIVERED);
                Thread.sleep(1_000);
                assertThat(receiver.at("/ok")).as("sent once").hasSize(1);
            } finally {
                second.close();
            }
        }
    }

    private Store store() {
        return Store.open(new StoreConfig("embedded", 4, Position.NONE), dir.resolve("data"));
    }

    private Outbox outbox(Store store, Supplier<Channels> channels) {
        return new Outbox(store, channels, () -> null, new SimpleMeterRegistry(), Clock.systemUTC())
                .spoolIn(dir.resolve("data"))
                .start();
    }

    private static Channels channels(String url) {
        return TestChannels.parse("hook: { type: webhook, url: \"" + url + "\", timeout: 2s }");
    }

    private static Notifier.Message page() {
        return new Notifier.Message("hook", KEY, "incident.triggered", Map.of("title", "db down", "severity", "P1"));
    }

    private List<Path> spooled() {
        try (Stream<Path> files = Files.list(dir.resolve("data/spool/pages"))) {
            return files.filter(f -> f.toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }
}
