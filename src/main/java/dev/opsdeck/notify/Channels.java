package dev.opsdeck.notify;

import dev.opsdeck.config.ChannelDef;
import dev.opsdeck.config.ChannelsConfig;
import dev.opsdeck.config.Fields;
import dev.opsdeck.config.Problems;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured channels, compiled by their types; what the outbox and the page spool send through. */
public final class Channels {
    public static final Channels NONE = new Channels(Map.of());

    private final Map<String, Channel> byName;

    private Channels(Map<String, Channel> byName) {
        this.byName = byName;
    }

    /** Lets each channel's type read its own keys; returns the channels (check {@code problems} before use). */
    public static Channels compile(ChannelsConfig config, ChannelTypes types, Problems problems) {
        Map<String, Channel> out = new LinkedHashMap<>();
        for (ChannelDef def : config.channels().values()) {
            Fields settings = def.typeFields(problems);
            ChannelType type = def.type() == null ? null : types.get(def.type());
            if (def.type() != null && type == null) {
                problems.add(
                        def.typePosition(),
                        settings.section() + ".type: unknown channel type \"" + def.type() + "\"",
                        "one of "
                                + String.join(
                                        ", ", types.names().stream().sorted().toList()));
            }
            Sender sender = type == null ? null : type.configure(def, settings);
            ChannelDef.finish(settings);
            if (sender != null) out.put(def.name(), new Channel(def, sender));
        }
        return new Channels(Map.copyOf(out));
    }

    public Optional<Channel> channel(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every channel, by name. */
    public List<Channel> all() {
        return byName.values().stream()
                .sorted(Comparator.comparing(Channel::name))
                .toList();
    }
}
