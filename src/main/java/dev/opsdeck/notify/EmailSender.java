package dev.opsdeck.notify;

import dev.opsdeck.config.SmtpSettings;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * The SMTP side of email channels. With {@code starttls} (the default) the connection must upgrade to TLS before
 * anything, credentials included, is sent: a server that does not offer STARTTLS is a failed attempt, not a
 * silent fallback to clear text. The Message-ID is derived from the idempotency key, so every attempt of a
 * message carries the same one and mail systems can drop the copies; the key itself is sent too. A 5xx reply
 * (sender, recipients or message refused) is a permanent failure; a 4xx reply and a failed connection are retried.
 */
final class EmailSender {
    static final String KEY_HEADER = "X-Opsdeck-Idempotency-Key";

    void send(
            SmtpSettings smtp,
            String from,
            List<String> recipients,
            Delivery d,
            MessageTemplates.Message message,
            Duration attemptTimeout)
            throws DeliveryFailure {
        String timeout = Long.toString(attemptTimeout.toMillis());
        Properties p = new Properties();
        p.put("mail.smtp.host", smtp.host());
        p.put("mail.smtp.port", Integer.toString(smtp.port()));
        p.put("mail.smtp.connectiontimeout", timeout);
        p.put("mail.smtp.timeout", timeout);
        p.put("mail.smtp.writetimeout", timeout);
        p.put("mail.smtp.auth", Boolean.toString(smtp.username() != null));
        p.put("mail.smtp.starttls.enable", Boolean.toString(smtp.starttls()));
        p.put("mail.smtp.starttls.required", Boolean.toString(smtp.starttls()));
        Session session = Session.getInstance(p);
        try {
            MimeMessage m = new KeyedMessage(session, messageId(d.idempotencyKey(), from));
            m.setFrom(new InternetAddress(from, true));
            // a page for one contact goes to that person's address, not to the channel's list
            Object contact = d.fields().get("contact_email");
            if (contact instanceof String address && !address.isBlank()) {
                m.addRecipient(Message.RecipientType.TO, new InternetAddress(address, true));
            } else {
                for (String to : recipients) m.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
            }
            m.setSubject(message.headline(), StandardCharsets.UTF_8.name());
            m.setText(message.text() + "\n", StandardCharsets.UTF_8.name());
            m.setSentDate(new Date(d.createdMs()));
            m.setHeader(KEY_HEADER, d.idempotencyKey());
            if (smtp.username() != null) {
                Transport.send(m, smtp.username(), smtp.password());
            } else {
                Transport.send(m);
            }
        } catch (MessagingException e) {
            String reason = "SMTP " + smtp.host() + ":" + smtp.port() + ": " + describe(e);
            throw refused(e) ? DeliveryFailure.permanent(reason) : new DeliveryFailure(reason);
        }
    }

    /**
     * Whether the server refused the message for good: a 5xx reply to the sender, a recipient or the message,
     * and no 4xx beside it (a recipient that is only busy gets the message on a later attempt).
     */
    static boolean refused(MessagingException e) {
        boolean refused = false;
        Throwable t = e;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            int code = switch (t) {
                case SMTPSendFailedException f -> f.getReturnCode();
                case SMTPAddressFailedException f -> f.getReturnCode();
                case SMTPSenderFailedException f -> f.getReturnCode();
                default -> 0;
            };
            if (code >= 400 && code < 500) return false;
            if (code >= 500) refused = true;
        }
        return refused;
    }

    /** {@code <sha256(key)@domain of from>}: stable across attempts, and no key text leaks into the id. */
    static String messageId(String key, String from) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            String domain =
                    from.substring(from.lastIndexOf('@') + 1).replace(">", "").strip();
            return "<opsdeck." + HexFormat.of().formatHex(hash, 0, 16) + "@" + domain + ">";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()).strip());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !b.toString().contains(c.getMessage()))
                b.append(": ").append(c.getMessage());
        }
        return b.toString().replace('\n', ' ');
    }

    /** A message whose Message-ID is ours: Jakarta Mail would otherwise make a new one on every send. */
    private static final class KeyedMessage extends MimeMessage {
        private final String id;

        KeyedMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
        }
    }
}
