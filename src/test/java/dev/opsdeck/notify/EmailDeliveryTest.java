package dev.opsdeck.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.opsdeck.store.Store;
import dev.opsdeck.store.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Email channels against a real SMTP server (GreenMail) with authentication. */
class EmailDeliveryTest {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("opsdeck", "mail-pass"));

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

    Outbox outbox(String password, boolean starttls) {
        String yaml = """
                mail:
                  type: email
                  smtp: { host: 127.0.0.1, port: %d, starttls: %s, username: opsdeck, password: "%s" }
                  from: opsdeck@example.com
                  to: [oncall@example.com, lead@example.com]
                  timeout: 5s
                """.formatted(SMTP.getSmtp().getPort(), starttls, password);
        return new Outbox(
                store,
                () -> TestChannels.parse(yaml),
                () -> "https://ops.example.com",
                new SimpleMeterRegistry(),
                Clock.systemUTC(),
                new Random(2));
    }

    @Test
    void sendsPlainTextWithTheHeadlineAsSubjectAndAMessageIdDerivedFromTheKey() throws Exception {
        Outbox outbox = outbox("${env:SMTP_PASSWORD}", false);
        long id = outbox.enqueue(
                "mail",
                "incident-5-escalated-step-2",
                "incident.escalated",
                Map.of("incident_id", 5, "severity", "P2", "title", "Queue backlog", "step", 2, "service", "worker"));
        outbox.deliverDue();
        assertThat(outbox.delivery(id).orElseThrow().status()).isEqualTo(Delivery.DELIVERED);
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(2); // one copy per recipient mailbox
        MimeMessage m = received[0];
        assertThat(m.getSubject()).isEqualTo("[P2] Incident 5 escalated (step 2): Queue backlog");
        assertThat(m.getFrom()[0].toString()).isEqualTo("opsdeck@example.com");
        assertThat(m.getRecipients(Message.RecipientType.TO))
                .extracting(Object::toString)
                .containsExactly("oncall@example.com", "lead@example.com");
        assertThat(m.getHeader("X-Opsdeck-Idempotency-Key")[0]).isEqualTo("incident-5-escalated-step-2");
        assertThat(m.getMessageID())
                .isEqualTo(EmailSender.messageId("incident-5-escalated-step-2", "opsdeck@example.com"))
                .matches("<opsdeck\\.[0-9a-f]{32}@example\\.com>");
        assertThat(((String) m.getContent()).replace("\r\n", "\n").strip()).isEqualTo("""
                [P2] Incident 5 escalated (step 2): Queue backlog
                Not acknowledged yet.
                Service: worker
                Dashboard: https://ops.example.com/incidents/5""");
    }

    @Test
    void aWrongPasswordIsAFailedAttemptThatSaysSo() throws Exception {
        Outbox outbox = outbox("wrong", false);
        long id = outbox.enqueue("mail", "k-auth", "test", Map.of());
        outbox.deliverDue();
        Delivery d = outbox.delivery(id).orElseThrow();
        assertThat(d.status()).isEqualTo(Delivery.PENDING);
        assertThat(d.lastError())
                .startsWith("SMTP 127.0.0.1:" + SMTP.getSmtp().getPort() + ": ")
                .contains("535");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void starttlsIsRequiredWhenOnNeverSilentlySkipped() throws Exception {
        Outbox outbox = outbox("${env:SMTP_PASSWORD}", true); // this server offers no STARTTLS
        long id = outbox.enqueue("mail", "k-tls", "test", Map.of());
        outbox.deliverDue();
        Delivery d = outbox.delivery(id).orElseThrow();
        assertThat(d.status()).isEqualTo(Delivery.PENDING);
        assertThat(d.lastError()).contains("STARTTLS");
        assertThat(SMTP.getReceivedMessages()).as("nothing sent in clear text").isEmpty();
    }
}
