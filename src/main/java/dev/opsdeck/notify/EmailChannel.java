package dev.opsdeck.notify;

import dev.opsdeck.config.ChannelDef;
import dev.opsdeck.config.Fields;
import dev.opsdeck.config.SmtpSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code type: email}: plain-text mail through the {@code smtp} server, {@code from} one address {@code to} a list. */
final class EmailChannel implements ChannelType {
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>\",]+@[^@\\s<>\",]+");

    @Override
    public String name() {
        return "email";
    }

    @Override
    public Sender configure(ChannelDef channel, Fields f) {
        if (!f.has("smtp")) f.problems().add(f.position(), f.section() + ": missing required key 'smtp'");
        SmtpSettings smtp = SmtpSettings.read(f.child("smtp"));
        String from = address(f, "from", f.requiredString("from"));
        List<String> to = f.strings("to");
        if (to.isEmpty()) {
            f.problem("to", "needs at least one address", "to: [oncall@example.com]");
        }
        to.forEach(a -> address(f, "to", a));
        return new Mailbox(smtp, from, to);
    }

    private static String address(Fields f, String key, String address) {
        if (address != null && !ADDRESS.matcher(address).matches()) {
            f.problem(key, "\"" + address + "\" is not an email address", "write name@example.com");
        }
        return address;
    }

    /** Where mail goes; {@link SmtpSettings#toString()} hides the password. */
    record Mailbox(SmtpSettings smtp, String from, List<String> to) implements Sender {
        @Override
        public void send(Delivery d, MessageTemplates.Message message, Duration timeout, Transport transport)
                throws DeliveryFailure {
            transport.smtp().send(smtp, from, to, d, message, timeout);
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", String.join(", ", to) + " via " + smtp.host() + ":" + smtp.port());
            m.put("signed", false);
            m.put("headers", List.of());
            return m;
        }
    }
}
