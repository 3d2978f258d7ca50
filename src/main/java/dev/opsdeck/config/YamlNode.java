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

    /**
     * A mapping key with its own position (for "unknown key" errors). The position is held as its parts rather than
     * as a {@link Position}: a configuration of 100,000 checks keeps ~5 keys per check for as long as it runs.
     */
    public record Key(String name, String file, int line, int column) {
        public Key(String name, Position position) {
            this(name, position.file(), position.line(), position.column());
        }

        public Position position() {
            return new Position(file, line, column);
        }
    }

    /*
     * Each running check keeps its nodes (the API, the alert rules and reloads read them), so a node is kept small:
     * its position as parts, made into a Position when asked (mostly for messages), and one field for what it
     * holds besides a scalar: the entries of a mapping, the items of a list, or the values put into a secret text.
     */
    private final Kind kind;
    private final String file;
    private final int line;
    private final int column;
    private final String scalar;
    private final boolean fromSecret;
    /** MAP: Map<Key, YamlNode>; LIST: List<YamlNode>; SCALAR: List<String> of secret parts; NULL: an empty list. */
    private final Object children;

    private YamlNode(Kind kind, Position position, String scalar, boolean fromSecret, Object children) {
        this.kind = kind;
        this.file = position.file();
        this.line = position.line();
        this.column = position.column();
        this.scalar = scalar;
        this.fromSecret = fromSecret;
        this.children = children;
    }

    public static YamlNode scalar(String value, Position at, boolean fromSecret) {
        return new YamlNode(Kind.SCALAR, at, value, fromSecret, List.of());
    }

    /**
     * A scalar with {@code ${env:..}}/{@code ${file:..}} references resolved; {@code parts} are the values that
     * were put in, which a secret text such as {@code "Bearer ${env:TOKEN}"} holds among literal text.
     */
    public static YamlNode secret(String value, Position at, List<String> parts) {
        return new YamlNode(Kind.SCALAR, at, value, true, List.copyOf(parts));
    }

    public static YamlNode nil(Position at) {
        return new YamlNode(Kind.NULL, at, null, false, List.of());
    }

    /**
     * A mapping of {@code entries} in their order. A small one (a check, a service) is copied into two arrays; a large
     * one (every service of a big configuration) keeps its hash table, since code looks names up in it.
     */
    public static YamlNode map(LinkedHashMap<Key, YamlNode> entries, Position at) {
        Map<Key, YamlNode> held =
                entries.size() <= YamlEntries.MAX ? YamlEntries.copyOf(entries) : Collections.unmodifiableMap(entries);
        return new YamlNode(Kind.MAP, at, null, false, held);
    }

    public static YamlNode list(List<YamlNode> items, Position at) {
        return new YamlNode(Kind.LIST, at, null, false, List.copyOf(items));
    }

    public Kind kind() {
        return kind;
    }

    public Position position() {
        return new Position(file, line, column);
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
                secretParts().stream().filter(p -> !p.isEmpty()).forEach(into::add);
            }
            case LIST -> items().forEach(n -> n.collectSecrets(into));
            case MAP -> entries().values().forEach(n -> n.collectSecrets(into));
            case NULL -> {}
        }
    }

    /** The entries of a mapping in their order; empty for any other node. */
    @SuppressWarnings("unchecked")
    public Map<Key, YamlNode> entries() {
        return kind == Kind.MAP ? (Map<Key, YamlNode>) children : Map.of();
    }

    /** The items of a list; empty for any other node. */
    @SuppressWarnings("unchecked")
    public List<YamlNode> items() {
        return kind == Kind.LIST ? (List<YamlNode>) children : List.of();
    }

    @SuppressWarnings("unchecked")
    private List<String> secretParts() {
        return kind == Kind.SCALAR ? (List<String>) children : List.of();
    }

    public YamlNode get(String key) {
        if (kind != Kind.MAP) return null;
        if (children instanceof YamlEntries entries) return entries.named(key);
        for (var e : entries().entrySet()) {
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
        LinkedHashMap<Key, YamlNode> rest = new LinkedHashMap<>(entries());
        rest.keySet().removeIf(k -> k.name().equals(key));
        return YamlNode.map(rest, position()).canonical();
    }

    /** Stable text of this node for hashing definitions; secrets contribute their hash only. */
    public String canonical() {
        return switch (kind) {
            case NULL -> "~";
            case SCALAR -> fromSecret ? "secret#" + Integer.toHexString(scalar.hashCode()) : quote(scalar);
            case LIST -> items().stream().map(YamlNode::canonical).toList().toString();
            case MAP -> {
                StringBuilder b = new StringBuilder("{");
                entries().entrySet().stream()
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
