package dev.opsdeck.config;

import java.time.Duration;
import java.util.List;

/**
 * Where a backup target's files go ({@code backups.<name>.destinations.<name>}), as written. The keys every
 * destination shares are read here: its {@code type} (null when absent or not text) and its retention
 * ({@code keepLast} and {@code maxAge}, null when unset). The type's own keys stay in {@link #settings()} and are
 * read by the destination type when the configuration is compiled (see {@link #typeFields(Problems)}).
 */
public record DestinationDef(
        String name,
        String type,
        Integer keepLast,
        Duration maxAge,
        YamlNode settings,
        String section,
        Position position) {

    /** Keys read here, in the order the unknown-key hint lists them; a destination type must not reuse them. */
    public static final List<String> COMMON_KEYS = List.of("type", "keep_last", "max_age");

    @Override
    public String toString() { // never the settings: they may hold credentials
        return "DestinationDef[" + name + " " + type + " keep_last=" + keepLast + " max_age=" + maxAge + "]";
    }

    static DestinationDef read(String section, YamlNode.Key key, YamlNode node, Problems problems) {
        Fields f = new Fields(node, section, problems);
        String type = f.string("type", null);
        Integer keepLast = f.has("keep_last") ? f.integer("keep_last", 0, 1, 10_000) : null;
        Duration maxAge = f.has("max_age") ? f.positiveDuration("max_age", Duration.ofDays(30)) : null;
        return new DestinationDef(key.name(), type, keepLast, maxAge, node, section, key.position());
    }

    /**
     * A fresh reader over this destination's mapping, with the common keys already accounted for. It reports
     * nothing the first read did not (a value that is not a mapping was reported then).
     */
    public Fields typeFields(Problems problems) {
        Fields f = new Fields(settings, section, problems);
        COMMON_KEYS.forEach(f::node);
        return f;
    }
}
