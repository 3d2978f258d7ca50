package dev.opsdeck.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, positioned reads from one YAML mapping. Every key that is read is remembered;
 * {@link #finish()} reports the keys nobody asked for as unknown, with a "did you mean" hint.
 * This is how every section and every check type rejects typos without a schema file.
 */
public final class Fields {
    private final YamlNode map;
    private final String section;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();
    private final Position absentAt;

    public Fields(YamlNode map, String section, Problems problems) {
        this(map, section, problems, Position.NONE);
    }

    /** {@code absentAt}: where problems of an absent or empty mapping are reported (e.g. its parent). */
    private Fields(YamlNode map, String section, Problems problems, Position absentAt) {
        this.map = map;
        this.section = section;
        this.problems = problems;
        this.absentAt = absentAt;
        if (map != null && !map.isMap() && !map.isNull()) {
            problems.add(map.position(), section + " must be a mapping, got " + map.describe());
        }
    }

    public Problems problems() {
        return problems;
    }

    /** Reports {@code section.key: message} where the key's value is written. */
    public void problem(String key, String message) {
        problem(key, message, null);
    }

    /** Reports {@code section.key: message (hint: ...)} where the key's value is written. */
    public void problem(String key, String message, String hint) {
        problems.add(positionOf(key), section + "." + key + ": " + message, hint);
    }

    public String section() {
        return section;
    }

    public Position position() {
        return map == null ? absentAt : map.position();
    }
    /** False when the mapping is absent or empty ({@code key:} or {@code key: ~}). */
    public boolean present() {
        return map != null;
    }

    /** The raw node for a key (marks the key as known); null when absent. */
    public YamlNode node(String key) {
        known.add(key);
        if (map == null || !map.isMap()) {
            return null;
        }
        YamlNode n = map.get(key);
        return n == null || n.isNull() ? null : n;
    }

    /** Where the key's value is written (even an empty one); the mapping's position when the key is absent. */
    public Position positionOf(String key) {
        known.add(key);
        YamlNode n = map != null && map.isMap() ? map.get(key) : null;
        return n == null ? position() : n.position();
    }

    public boolean has(String key) {
        return node(key) != null;
    }

    public String string(String key, String fallback) {
        YamlNode n = node(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isScalar()) {
            typeError(n, key, "text");
            return fallback;
        }
        return n.text();
    }

    /** Text that is a secret: read like {@link #string}, noted when written literally in the file. */
    public String secret(String key, String fallback) {
        String s = string(key, fallback);
        YamlNode n = node(key);
        if (n != null && n.isScalar() && !n.fromSecret() && !n.text().isEmpty()) {
            problems.literalSecret(n.position(), section + "." + key);
        }
        return s;
    }

    public String requiredString(String key) {
        String s = string(key, null);
        if (s == null && node(key) == null) {
            problems.add(position(), section + ": missing required key '" + key + "'");
        }
        return s;
    }

    public String oneOf(String key, String fallback, Set<String> allowed) {
        String s = string(key, fallback);
        if (s != null && !allowed.contains(s)) {
            problems.add(
                    positionOf(key),
                    section + "." + key + ": unknown value \"" + s + "\"",
                    "one of " + String.join(", ", allowed));
            return fallback;
        }
        return s;
    }

    public Duration duration(String key, Duration fallback) {
        YamlNode n = node(key);
        if (n == null) {
            return fallback;
        }
        Duration d = n.isScalar() ? Units.duration(n.text()) : null;
        if (d == null) {
            problems.add(
                    n.position(),
                    section + "." + key + ": bad duration " + n.describe(),
                    "write a number with a unit: 500ms, 30s, 5m, 1h, 7d");
            return fallback;
        }
        return d;
    }

    /** A duration that must be longer than zero (timeouts, windows, horizons). */
    public Duration positiveDuration(String key, Duration fallback) {
        Duration d = duration(key, fallback);
        if (d == null) {
            return null; // no fallback, and the value (if any) was reported as a bad duration
        }
        if (d.isZero() || d.isNegative()) {
            problems.add(positionOf(key), section + "." + key + ": must be longer than zero");
            return fallback;
        }
        return d;
    }

    public Long size(String key, Long fallback) {
        YamlNode n = node(key);
        if (n == null) {
            return fallback;
        }
        Long v = n.isScalar() ? Units.size(n.text()) : null;
        if (v == null) {
            problems.add(
                    n.position(),
                    section + "." + key + ": bad size " + n.describe(),
                    "write bytes with a unit: 512KB, 200MB, 1GiB");
            return fallback;
        }
        return v;
    }

    /**
     * A size from {@code min} to {@code max}, both included. The bounds are written as users write sizes (1KB,
     * 100MB) and read with the same parser as the value, so the check and its message always agree.
     */
    public long size(String key, long fallback, String min, String max) {
        if (node(key) == null) {
            return fallback;
        }
        Long v = size(key, (Long) null);
        if (v == null) {
            return fallback; // told as a bad size
        }
        if (v < Units.size(min) || v > Units.size(max)) {
            problems.add(positionOf(key), section + "." + key + ": must be between " + min + " and " + max);
            return fallback;
        }
        return v;
    }

    public int integer(String key, int fallback, int min, int max) {
        YamlNode n = node(key);
        if (n == null) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(n.isScalar() ? n.text().trim() : "x");
            if (v < min || v > max) {
                problems.add(
                        n.position(),
                        section + "." + key + ": " + v + " is out of range",
                        "use a whole number from " + min + " to " + max);
                return fallback;
            }
            return v;
        } catch (NumberFormatException e) {
            typeError(n, key, "a whole number");
            return fallback;
        }
    }

    public boolean bool(String key, boolean fallback) {
        YamlNode n = node(key);
        if (n == null) {
            return fallback;
        }
        if (n.isScalar() && (n.text().equals("true") || n.text().equals("false"))) {
            return Boolean.parseBoolean(n.text());
        }
        typeError(n, key, "true or false");
        return fallback;
    }

    /** A list of text; a single scalar is accepted as a one-item list. */
    public List<YamlNode> scalarList(String key) {
        YamlNode n = node(key);
        if (n == null) {
            return List.of();
        }
        if (n.isScalar()) {
            return List.of(n);
        }
        if (!n.isList()) {
            typeError(n, key, "a list");
            return List.of();
        }
        List<YamlNode> out = new ArrayList<>();
        for (YamlNode item : n.items()) {
            if (item.isScalar()) {
                out.add(item);
            } else {
                problems.add(item.position(), section + "." + key + ": items must be text, got " + item.describe());
            }
        }
        return out;
    }

    public List<String> strings(String key) {
        return scalarList(key).stream().map(YamlNode::text).toList();
    }

    public Map<String, String> stringMap(String key) {
        YamlNode n = node(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!n.isMap()) {
            typeError(n, key, "a mapping");
            return out;
        }
        n.entries().forEach((k, v) -> {
            if (v.isScalar()) {
                out.put(k.name(), v.text());
            } else {
                problems.add(
                        v.position(), section + "." + key + "." + k.name() + ": must be text, got " + v.describe());
            }
        });
        return out;
    }

    /**
     * The entries of a mapping of names chosen by the user (e.g. channel names), each marked as known;
     * empty when the section is absent or not a mapping (the latter already reported).
     */
    public Map<YamlNode.Key, YamlNode> names() {
        if (map == null || !map.isMap()) {
            return Map.of();
        }
        map.entries().keySet().forEach(k -> known.add(k.name()));
        return map.entries();
    }

    /** A nested section read with its own unknown-key check. */
    public Fields child(String key) {
        YamlNode n = node(key);
        return new Fields(n, section + "." + key, problems, positionOf(key));
    }

    /** A file system path as written; null when absent or not a valid path (reported). */
    public Path path(String key) {
        String s = string(key, null);
        if (s == null) {
            return null;
        }
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            problems.add(positionOf(key), section + "." + key + ": not a valid path: " + e.getReason());
            return null;
        }
    }

    /** Reports keys that no reader asked for. Call once all reads are done. */
    public void finish() {
        if (map == null || !map.isMap()) {
            return;
        }
        for (YamlNode.Key k : map.entries().keySet()) {
            if (!known.contains(k.name())) {
                String guess = closest(k.name(), known);
                problems.add(
                        k.position(),
                        section + ": unknown key '" + k.name() + "'",
                        guess != null ? "did you mean '" + guess + "'?" : "known keys: " + String.join(", ", known));
            }
        }
    }

    private void typeError(YamlNode n, String key, String expected) {
        problems.add(n.position(), section + "." + key + ": expected " + expected + ", got " + n.describe());
    }

    /** The known name within edit distance 2 (and at most half its length: "web" is not "b"), if any. */
    public static String closest(String word, Iterable<String> candidates) {
        String best = null;
        int bestDistance = 3;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d < bestDistance && 2 * d <= Math.max(word.length(), c.length())) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
