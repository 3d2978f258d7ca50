package dev.opsdeck.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Notification channels (config {@code channels:}): a mapping of channel names to each channel's settings. */
public record ChannelsConfig(Map<String, ChannelDef> channels) {
    public static final ChannelsConfig DEFAULTS = new ChannelsConfig(Map.of());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    public static ChannelsConfig read(Fields f) {
        Map<String, ChannelDef> out = new LinkedHashMap<>();
        f.names().forEach((key, node) -> {
            if (!NAME.matcher(key.name()).matches()) {
                f.problems()
                        .add(
                                key.position(),
                                "channel name '" + key.name() + "' is not allowed",
                                "use letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            if (!node.isMap()) {
                f.problems()
                        .add(
                                node.position(),
                                "channels." + key.name() + ": expected a mapping with a type, got " + node.describe(),
                                "e.g. ops: { type: webhook, url: https://hooks.example.com/opsdeck }");
                return;
            }
            out.put(key.name(), ChannelDef.read(key.name(), node, f.problems()));
        });
        f.finish();
        return new ChannelsConfig(Map.copyOf(out));
    }

    public Optional<ChannelDef> channel(String name) {
        return Optional.ofNullable(channels.get(name));
    }
}
