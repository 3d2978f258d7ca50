package dev.opsdeck.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one probe measured, keyed by placeholder name without brackets ({@code STATUS},
 * {@code BODY}, {@code RESPONSE_TIME}...). Values are Long/Double, Duration, String, Boolean,
 * Map/List (for JSON-ish data) or {@link Size}. A probe that could not measure at all sets
 * {@link #failure}: the check is down with that message and no condition is evaluated.
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
}
