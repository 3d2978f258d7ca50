package dev.opsdeck.notify;

import dev.opsdeck.config.ChannelDef;
import dev.opsdeck.config.Fields;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code type: webhook}: Opsdeck's own JSON POSTed to {@code url}, signed with HMAC-SHA256 when {@code secret} is
 * set, with extra {@code headers}.
 */
final class WebhookChannel implements ChannelType {
    /** Headers the webhook sender sets itself; a channel may not replace them. */
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "content-type", "idempotency-key", "x-opsdeck-signature", "x-opsdeck-timestamp", "content-length", "host");

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public Sender configure(ChannelDef channel, Fields f) {
        String url = HttpSender.url(f, "url", f.requiredString("url"));
        String secret = f.secret("secret", null);
        return new Target(url, secret, headers(f));
    }

    private static Map<String, String> headers(Fields f) {
        Map<String, String> headers = f.stringMap("headers");
        for (String h : headers.keySet()) {
            if (RESERVED_HEADERS.contains(h.toLowerCase(Locale.ROOT))) {
                f.problems()
                        .add(
                                f.positionOf("headers"),
                                f.section() + ".headers." + h + ": set by Opsdeck itself",
                                "remove it; Opsdeck sends Content-Type, Idempotency-Key and the signature headers");
            } else if (!h.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                f.problem("headers", "\"" + h + "\" is not a header name");
            }
        }
        return Map.copyOf(headers);
    }

    /** Opsdeck's own JSON: the message and every field, so receivers need not parse the text. */
    static byte[] body(Delivery d, MessageTemplates.Message message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("idempotency_key", d.idempotencyKey());
        out.put("channel", d.channel());
        out.put("template", d.template());
        out.put("created_at", Instant.ofEpochMilli(d.createdMs()).toString());
        out.put("headline", message.headline());
        out.put("text", message.text());
        out.put("fields", d.fields());
        return HttpSender.json(out);
    }

    /** The receiver; the HMAC key and header values are secrets and stay out of {@link #toString()}. */
    record Target(String url, String secret, Map<String, String> headers) implements Sender {
        @Override
        public void send(Delivery d, MessageTemplates.Message message, Duration timeout, Transport transport)
                throws DeliveryFailure, InterruptedException {
            transport.http().post(URI.create(url), headers, secret, d, body(d, message), timeout);
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", HttpSender.masked(url));
            m.put("signed", secret != null);
            m.put("headers", headers.keySet().stream().sorted().toList());
            return m;
        }

        @Override
        public String toString() {
            return "webhook url=" + url + (secret == null ? "" : " secret=***") + " headers=" + headers.keySet();
        }
    }
}
