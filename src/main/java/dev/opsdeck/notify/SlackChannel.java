package dev.opsdeck.notify;

import dev.opsdeck.config.ChannelDef;
import dev.opsdeck.config.Fields;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code type: slack}: Slack's incoming-webhook shape POSTed to {@code url}, which is itself a secret. */
final class SlackChannel implements ChannelType {
    @Override
    public String name() {
        return "slack";
    }

    @Override
    public Sender configure(ChannelDef channel, Fields f) {
        String url = HttpSender.url(f, "url", f.secret("url", null));
        if (url == null && !f.has("url")) f.problems().add(f.position(), f.section() + ": missing required key 'url'");
        return new Target(url);
    }

    /** The headline as notification text, the message as one section, and a button to the incident if known. */
    static byte[] body(Delivery d, MessageTemplates.Message message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text", message.headline());
        List<Object> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", message.text())));
        String url = MessageTemplates.value(d.fields().get("incident_url"));
        if (!url.isEmpty()) {
            blocks.add(Map.of(
                    "type",
                    "actions",
                    "elements",
                    List.of(Map.of(
                            "type",
                            "button",
                            "text",
                            Map.of("type", "plain_text", "text", "Open incident"),
                            "url",
                            url))));
        }
        out.put("blocks", blocks);
        return HttpSender.json(out);
    }

    /** The incoming-webhook URL; it grants posting to the workspace, so {@link #toString()} hides it. */
    record Target(String url) implements Sender {
        @Override
        public void send(Delivery d, MessageTemplates.Message message, Duration timeout, Transport transport)
                throws DeliveryFailure, InterruptedException {
            transport.http().post(URI.create(url), Map.of(), null, d, body(d, message), timeout);
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", HttpSender.masked(url));
            m.put("signed", false);
            m.put("headers", List.of());
            return m;
        }

        @Override
        public String toString() {
            return "slack url=***";
        }
    }
}
