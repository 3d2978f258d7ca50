package dev.opsdeck.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One parameter of a runbook. Values are checked against {@code type}, {@code pattern} and {@code allowed}
 * before anything runs; a {@code secret} value is masked wherever a run is stored or shown.
 */
public record RunbookParam(
        String name,
        Type type,
        boolean required,
        String defaultValue,
        String pattern,
        List<String> allowed,
        boolean secret,
        String description) {
    public enum Type {
        STRING,
        INTEGER,
        BOOLEAN,
        DURATION;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why {@code value} is not acceptable, or null when it is. Never echoes a secret value. */
    public String refusal(String value) {
        String shown = secret ? "the value" : "\"" + value + "\"";
        switch (type) {
            case INTEGER -> {
                if (!value.matches("-?\\d{1,18}")) return shown + " is not a whole number";
            }
            case BOOLEAN -> {
                if (!value.equals("true") && !value.equals("false")) return shown + " is not true or false";
            }
            case DURATION -> {
                if (Units.duration(value) == null) return shown + " is not a duration such as 30s, 5m or 1h";
            }
            case STRING -> {}
        }
        if (pattern != null && !Pattern.compile(pattern).matcher(value).matches()) {
            return shown + " does not match " + pattern;
        }
        if (!allowed.isEmpty() && !allowed.contains(value)) {
            return shown + " is not one of " + String.join(", ", allowed);
        }
        return null;
    }
}
