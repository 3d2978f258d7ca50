package dev.opsdeck.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One entry of {@code channels:} as written. The keys every channel shares are read here: {@code type},
 * {@code templates}, {@code retry_horizon} (how long delivery is retried before the message is marked failed),
 * {@code timeout} (per attempt) and {@code max_in_flight}. The type's own keys stay in {@link #settings()} and
 * are read by the channel type (see {@link #typeFields(Problems)}).
 */
public record ChannelDef(
        String name,
        String type,
        Position typePosition,
        Map<String, String> templates,
        Duration retryHorizon,
        Duration timeout,
        int maxInFlight,
        YamlNode settings,
        Position position) {
    public static final Duration DEFAULT_RETRY_HORIZON = Duration.ofHours(24);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Attempts at once per channel: a receiver that hangs holds this many delivery slots for one timeout. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 4, MAX_IN_FLIGHT = 32;

    /** The common keys read after the type's own: unknown-key hints list the keys in this reading order. */
    private static final List<String> KEYS_AFTER_TYPE =
            List.of("templates", "retry_horizon", "timeout", "max_in_flight");

    static ChannelDef read(String name, YamlNode node, Problems problems) {
        Fields f = new Fields(node, section(name), problems);
        String type = f.requiredString("type");
        Position typePosition = f.positionOf("type");
        Map<String, String> templates = templates(f);
        Duration horizon = f.positiveDuration("retry_horizon", DEFAULT_RETRY_HORIZON);
        Duration timeout = f.positiveDuration("timeout", DEFAULT_TIMEOUT);
        if (timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            f.problem(
                    "timeout",
                    "at most 5m",
                    "a receiver that needs longer to answer is treated as down; retries follow");
            timeout = DEFAULT_TIMEOUT;
        }
        int inFlight = f.integer("max_in_flight", DEFAULT_MAX_IN_FLIGHT, 1, MAX_IN_FLIGHT);
        return new ChannelDef(name, type, typePosition, templates, horizon, timeout, inFlight, node, f.position());
    }

    private static String section(String name) {
        return "channels." + name;
    }

    /** A fresh reader over this channel's mapping for its type's own keys; close it with {@link #finish}. */
    public Fields typeFields(Problems problems) {
        Fields f = new Fields(settings, section(name), problems);
        f.node("type");
        return f;
    }

    /** Reports the keys neither the common reading nor the type asked for, once the type has read its own. */
    public static void finish(Fields typeFields) {
        KEYS_AFTER_TYPE.forEach(typeFields::node);
        typeFields.finish();
    }

    /** Overrides by template name; unknown names and placeholders are errors, reported at the template. */
    private static Map<String, String> templates(Fields f) {
        Map<String, String> out = new LinkedHashMap<>();
        YamlNode node = f.node("templates");
        if (node == null) return Map.of();
        Fields t = new Fields(node, f.section() + ".templates", f.problems());
        t.names().forEach((key, value) -> {
            String where = t.section() + "." + key.name();
            if (!TemplateText.NAMES.contains(key.name())) {
                String guess = Fields.closest(key.name(), TemplateText.NAMES);
                f.problems()
                        .add(
                                key.position(),
                                where + ": unknown template",
                                guess != null
                                        ? "did you mean '" + guess + "'?"
                                        : "templates: " + String.join(", ", sorted()));
            } else if (!value.isScalar() || value.text().isBlank()) {
                f.problems().add(value.position(), where + ": expected the message text, got " + value.describe());
            } else {
                TemplateText.problems(value.text())
                        .forEach(p -> f.problems()
                                .add(
                                        value.position(),
                                        where + ": " + p,
                                        "fields: " + String.join(", ", new TreeSet<>(TemplateText.FIELDS))));
                out.put(key.name(), value.text());
            }
        });
        return Map.copyOf(out);
    }

    private static List<String> sorted() {
        return TemplateText.NAMES.stream().sorted().toList();
    }

    /** Without the settings: they hold the type's secrets, and this text ends up in logs. */
    @Override
    public String toString() {
        return "ChannelDef[" + name + " " + type + " templates=" + templates + " retry_horizon=" + retryHorizon
                + " timeout=" + timeout + " max_in_flight=" + maxInFlight + "]";
    }
}
