package dev.opsdeck.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.ManualClock;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Email channels against a real SMTP server that refuses every recipient: a 5xx refusal fails the message after
 * one attempt, a 4xx one is retried. GreenMail accepts every recipient, so this server is a socket that speaks
 * just enough SMTP.
 */
class SmtpRefusalTest {
    TestDatabases.Backend backend;
    Store store;

    @BeforeEach
    void open() {
        backend = TestDatabases.sqlite();
        store = backend.open();
    }

    @AfterEach
    void close() {
        store.close();
        backend.close();
    }

    @Test
    void a5xxReplyFailsTheMessageAtOnceAndA4xxReplyIsRetried() throws Exception {
        try (RefusingSmtp gone = new RefusingSmtp("550 5.1.1 mailbox unavailable");
                RefusingSmtp full = new RefusingSmtp("452 4.2.2 mailbox full")) {
            ManualClock clock = new ManualClock(Instant.parse("2026-03-01T08:00:00Z"));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            String yaml = """
                    gone: { type: email, smtp: { host: 127.0.0.1, port: %d, starttls: false }, from: a@example.com, to: b@example.com, timeout: 5s }
                    full: { type: email, smtp: { host: 127.0.0.1, port: %d, starttls: false }, from: a@example.com, to: b@example.com, timeout: 5s }
                    """.formatted(gone.port(), full.port());
            Outbox outbox =
                    new Outbox(store, () -> TestChannels.parse(yaml), () -> null, registry, clock, new Random(3));
            long refused = outbox.enqueue("gone", "gone-1", "test", Map.of());
            long later = outbox.enqueue("full", "full-1", "test", Map.of());
            assertThat(outbox.deliverDue()).isEqualTo(2);

            Delivery r = outbox.delivery(refused).orElseThrow();
            assertThat(r.status()).isEqualTo(Delivery.FAILED);
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.lastError()).contains("550 5.1.1 mailbox unavailable").endsWith("(permanent: not retried)");
            assertThat(registry.counter("opsdeck.notifications.failed", "channel", "gone")
                            .count())
                    .isEqualTo(1);
            Delivery l = outbox.delivery(later).orElseThrow();
            assertThat(l.status()).isEqualTo(Delivery.PENDING);
            assertThat(l.lastError()).contains("452 4.2.2 mailbox full").doesNotContain("permanent");

            clock.advance(Duration.ofMinutes(1));
            assertThat(outbox.deliverDue())
                    .as("only the 4xx message comes back")
                    .isEqualTo(1);
            assertThat(outbox.delivery(later).orElseThrow().attempts()).isEqualTo(2);
            assertThat(gone.sessions()).isEqualTo(1);
            assertThat(full.sessions()).isEqualTo(2);
        }
    }

    /** Answers every command with 250 except RCPT TO, which gets {@code rcptReply}; counts its sessions. */
    private static final class RefusingSmtp implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final AtomicInteger sessions = new AtomicInteger();
        private final String rcptReply;

        RefusingSmtp(String rcptReply) throws IOException {
            this.rcptReply = rcptReply;
            Thread.ofVirtual().start(this::serve);
        }

        int port() {
            return socket.getLocalPort();
        }

        int sessions() {
            return sessions.get();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    sessions.incrementAndGet();
                    converse(client);
                } catch (IOException e) {
                    // closed, or the client hung up: wait for the next one
                }
            }
        }

        private void converse(Socket client) throws IOException {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = client.getOutputStream();
            reply(out, "220 refusing.test ESMTP");
            for (String line; (line = in.readLine()) != null; ) {
                String command = line.toUpperCase(Locale.ROOT);
                if (command.startsWith("RCPT")) {
                    reply(out, rcptReply);
                } else if (command.startsWith("QUIT")) {
                    reply(out, "221 bye");
                    return;
                } else {
                    reply(out, "250 ok");
                }
            }
        }

        private static void reply(OutputStream out, String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
