package dev.opsdeck.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one probe measured, keyed by placeholder name without brackets ({@code STATUS},
 * {@code BODY}, {@code RESPONSE_TIME}...). Values are Long/Double, Duration, String, Boolean,
 * Map/List (for JSON-ish data) or {@link Size}. A probe that could not measure at all sets
 * {@link #failure}: the check is down with that message and no condition is evaluated. A value that
 * was looked for and not found can say why ({@link #absent}); a condition on it shows that reason.
 */
public final class Observation {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private String failure;

    public static Observation failed(String message) {
        Observation o = new Observation();
        o.failure = message;
        return o;
    }

    public Observation put(String name, Object value) {
        values.put(name, value);
        return this;
    }

    /** Records why {@code name} has no value, e.g. "no such file"; conditions on it fail with this reason. */
    public Observation absent(String name, String reason) {
        values.remove(name);
        values.put(name + "#absent", reason);
        return this;
    }

    /** Why {@code name} has no value, or null when nobody said. */
    public String absence(String name) {
        return values.get(name + "#absent") instanceof String s ? s : null;
    }

    public Object get(String name) {
        return values.get(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Map<String, Object> values() {
        return values;
    }

    public String failure() {
        return failure;
    }

    public Observation fail(String message) {
        this.failure = message;
        return this;
    }

    /** A byte count that should print as 12.3MB in messages. */
    public record Size(long bytes) {}

    /**
     * A value conditions may compare but nobody may read: messages show its kind and length only, and
     * results do not keep it.
     */
    public record Secret(Object value) {
        @Override
        public String toString() {
            return "(secret)";
        }
    }
}
