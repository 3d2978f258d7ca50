package dev.opsdeck.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The one table of channel types. A new type is one class plus one line here. */
public final class ChannelTypes {
    private final Map<String, ChannelType> types = new LinkedHashMap<>();

    private ChannelTypes() {}

    public static ChannelTypes standard() {
        ChannelTypes t = new ChannelTypes();
        t.add(new WebhookChannel());
        t.add(new SlackChannel());
        t.add(new EmailChannel());
        return t;
    }

    private void add(ChannelType type) {
        types.put(type.name(), type);
    }

    ChannelType get(String name) {
        return types.get(name);
    }

    public Set<String> names() {
        return types.keySet();
    }
}
