package dev.opsdeck.notify;

import dev.opsdeck.config.ChannelDef;
import dev.opsdeck.config.Units;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A configured channel, compiled: the settings every channel shares and its type's way of sending. */
public final class Channel {
    private final ChannelDef def;
    private final Sender sender;

    Channel(ChannelDef def, Sender sender) {
        this.def = def;
        this.sender = sender;
    }

    public String name() {
        return def.name();
    }

    public String type() {
        return def.type();
    }

    public Duration timeout() {
        return def.timeout();
    }

    Duration retryHorizon() {
        return def.retryHorizon();
    }

    int maxInFlight() {
        return def.maxInFlight();
    }

    Map<String, String> templates() {
        return def.templates();
    }

    Sender sender() {
        return sender;
    }

    /** The channel as the API shows it: no secrets (URLs show only scheme and host, headers only their names). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", def.name());
        m.put("type", def.type());
        m.putAll(sender.describe());
        m.put("templates", def.templates().keySet().stream().sorted().toList());
        m.put("retry_horizon", Units.format(def.retryHorizon()));
        m.put("timeout", Units.format(def.timeout()));
        return m;
    }

    /** Secrets left out (each sender's text hides its own): this text ends up in logs. */
    @Override
    public String toString() {
        return "Channel[" + def + " " + sender + "]";
    }
}
