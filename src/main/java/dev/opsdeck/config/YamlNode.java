package dev.opsdeck.config;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML value that remembers where it was written. Only this package reads YAML;
 * everything downstream sees positioned nodes, so every error can name its line.
 */
public final class YamlNode {
    public enum Kind {
        SCALAR,
        MAP,
        LIST,
        NULL
    }

    /** A mapping key with its own position (for "unknown key" errors). */
    public record Key(String name, Position position) {}

    private final Kind kind;
    private final Position position;
    private final String scalar;
    private final boolean fromSecret;
    private final List<String> secretParts;
    private final Map<Key, YamlNode> map;
    private final List<YamlNode> list;

    private YamlNode(
            Kind kind,
            Position position,
            String scalar,
            boolean fromSecret,
            List<String> secretParts,
            Map<Key, YamlNode> map,
            List<YamlNode> list) {
        this.kind = kind;
        this.position = position;
        this.scalar = scalar;
        this.fromSecret = fromSecret;
        this.secretParts = secretParts;
        this.map = map;
        this.list = list;
    }

    public static YamlNode scalar(String value, Position at, boolean fromSecret) {
        return new YamlNode(Kind.SCALAR, at, value, fromSecret, List.of(), Map.of(), List.of());
    }

    /**
     * A scalar with {@code ${env:..}}/{@code ${file:..}} references resolved; {@code parts} are the values that
     * were put in, which a secret text such as {@code "Bearer ${env:TOKEN}"} holds among literal text.
     */
    public static YamlNode secret(String value, Position at, List<String> parts) {
        return new YamlNode(Kind.SCALAR, at, value, true, List.copyOf(parts), Map.of(), List.of());
    }

    public static YamlNode nil(Position at) {
        return new YamlNode(Kind.NULL, at, null, false, List.of(), Map.of(), List.of());
    }

    public static YamlNode map(LinkedHashMap<Key, YamlNode> entries, Position at) {
        return new YamlNode(Kind.MAP, at, null, false, List.of(), Collections.unmodifiableMap(entries), List.of());
    }

    public static YamlNode list(List<YamlNode> items, Position at) {
        return new YamlNode(Kind.LIST, at, null, false, List.of(), Map.of(), List.copyOf(items));
    }

    public Kind kind() {
        return kind;
    }

    public Position position() {
        return position;
    }

    public boolean isMap() {
        return kind == Kind.MAP;
    }

    public boolean isList() {
        return kind == Kind.LIST;
    }

    public boolean isScalar() {
        return kind == Kind.SCALAR;
    }

    public boolean isNull() {
        return kind == Kind.NULL;
    }
    /** True when the value came from {@code ${env:..}} or {@code ${file:..}}: never log it. */
    public boolean fromSecret() {
        return fromSecret;
    }

    public String text() {
        return scalar;
    }

    /** Adds every secret value in this node and below to {@code into}: whole secret texts and the values put in them. */
    public void collectSecrets(Set<String> into) {
        switch (kind) {
            case SCALAR -> {
                if (fromSecret && !scalar.isEmpty()) into.add(scalar);
                secretParts.stream().filter(p -> !p.isEmpty()).forEach(into::add);
            }
            case LIST -> list.forEach(n -> n.collectSecrets(into));
            case MAP -> map.values().forEach(n -> n.collectSecrets(into));
            case NULL -> {}
        }
    }

    public Map<Key, YamlNode> entries() {
        return map;
    }

    public List<YamlNode> items() {
        return list;
    }

    public YamlNode get(String key) {
        for (var e : map.entrySet()) {
            if (e.getKey().name().equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    public String describe() {
        return switch (kind) {
            case MAP -> "a mapping";
            case LIST -> "a list";
            case NULL -> "nothing";
            case SCALAR -> fromSecret ? "a secret value" : preview(scalar);
        };
    }

    /** A value quoted for a message: a long one is cut, with its length, so it never floods the output. */
    static String preview(String value) {
        if (value.length() <= 80) {
            return "\"" + value + "\"";
        }
        int end = Character.isHighSurrogate(value.charAt(59)) ? 59 : 60;
        return "\"" + value.substring(0, end) + "…\" (" + value.length() + " characters)";
    }

    /** {@link #canonical()} of a mapping without one of its keys. */
    public String canonicalWithout(String key) {
        if (kind != Kind.MAP || get(key) == null) {
            return canonical();
        }
        LinkedHashMap<Key, YamlNode> rest = new LinkedHashMap<>(map);
        rest.keySet().removeIf(k -> k.name().equals(key));
        return YamlNode.map(rest, position).canonical();
    }

    /** Stable text of this node for hashing definitions; secrets contribute their hash only. */
    public String canonical() {
        return switch (kind) {
            case NULL -> "~";
            case SCALAR -> fromSecret ? "secret#" + Integer.toHexString(scalar.hashCode()) : quote(scalar);
            case LIST -> list.stream().map(YamlNode::canonical).toList().toString();
            case MAP -> {
                StringBuilder b = new StringBuilder("{");
                map.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey(Comparator.comparing(Key::name)))
                        .forEach(e -> b.append(quote(e.getKey().name()))
                                .append(':')
                                .append(e.getValue().canonical())
                                .append(','));
                yield b.append('}').toString();
            }
        };
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
