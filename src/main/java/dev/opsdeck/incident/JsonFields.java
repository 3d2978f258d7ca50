package dev.opsdeck.incident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads fields of a payload from outside, collecting every problem as {@code path: what is wrong}. */
final class JsonFields {
    final List<String> problems = new ArrayList<>();

    String text(JsonNode parent, String field, String path, boolean required) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            if (required) problems.add(path + ": required");
            return null;
        }
        if (!v.isTextual()) {
            problems.add(path + ": expected text, got " + kind(v));
            return null;
        }
        return v.asText();
    }

    String oneOf(JsonNode parent, String field, String path, boolean required, Set<String> allowed) {
        String s = text(parent, field, path, required);
        if (s != null && !allowed.contains(s)) {
            problems.add(path + ": expected one of "
                    + String.join(", ", allowed.stream().sorted().toList()) + "; got '" + s + "'");
            return null;
        }
        return s;
    }

    /** An object whose values are all text (labels, annotations); empty when absent and not required. */
    Map<String, String> strings(JsonNode parent, String field, String path, boolean required) {
        JsonNode v = parent.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            if (required) problems.add(path + ": required");
            return out;
        }
        if (!v.isObject()) {
            problems.add(path + ": expected an object, got " + kind(v));
            return out;
        }
        v.properties().forEach(e -> {
            if (e.getValue().isTextual()) out.put(e.getKey(), e.getValue().asText());
            else problems.add(path + "." + e.getKey() + ": expected text, got " + kind(e.getValue()));
        });
        return out;
    }

    /** An RFC 3339 time; null when absent (and not required) or unparseable (a problem). */
    Instant time(JsonNode parent, String field, String path, boolean required) {
        String s = text(parent, field, path, required);
        if (s == null) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(path + ": expected an RFC 3339 time such as 2026-01-02T03:04:05Z; got '" + s + "'");
            return null;
        }
    }

    void throwIfAny() {
        if (!problems.isEmpty()) throw new IntakeRejected(problems);
    }

    static String kind(JsonNode v) {
        if (v.isObject()) return "an object";
        if (v.isArray()) return "a list";
        if (v.isTextual()) return "text";
        if (v.isNumber()) return "a number";
        if (v.isBoolean()) return "true/false";
        return "null";
    }
}
