package dev.opsdeck.silence;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One condition of a silence on an alert's {@code service}, {@code name} (its rule), {@code severity} or one of its
 * labels: {@code =} equal, {@code !=} not equal, {@code =~} the whole value matches a regular expression. A label the
 * alert does not have reads as the empty string, so {@code team!=db} holds for an alert without a team.
 */
public record Matcher(String name, String op, String value) {
    public static final Set<String> OPS = Set.of("=", "!=", "=~");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,99}");
    // alerts fire under the engine's lock: compile each expression once, not on every match
    private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

    /** Validates name, operator and (for {@code =~}) the expression, so a broken silence is refused when created. */
    public Matcher {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidSilence(
                    "matchers: name: expected a field or label name such as service, severity or team; got '" + name
                            + "'");
        }
        if (op == null || !OPS.contains(op)) {
            throw new InvalidSilence("matchers: op: expected one of =, !=, =~; got '" + op + "'");
        }
        if (value == null) throw new InvalidSilence("matchers: value: required for '" + name + "'");
        if (value.length() > 500) throw new InvalidSilence("matchers: value: longer than 500 characters");
        if (op.equals("=~")) compile(value);
    }

    /** Reads {@code service=indexer}, {@code severity!=P1}, {@code name=~Disk.*} (the CLI's form). */
    public static Matcher parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0)
            throw new InvalidSilence("matchers: expected NAME=VALUE, NAME!=VALUE or NAME=~REGEX; got '" + text + "'");
        if (text.charAt(eq - 1) == '!') return new Matcher(text.substring(0, eq - 1), "!=", text.substring(eq + 1));
        if (eq + 1 < text.length() && text.charAt(eq + 1) == '~')
            return new Matcher(text.substring(0, eq), "=~", text.substring(eq + 2));
        return new Matcher(text.substring(0, eq), "=", text.substring(eq + 1));
    }

    /** True when the alert with these fields satisfies this condition. */
    public boolean matches(String service, String alertName, String severity, Map<String, String> labels) {
        String actual = switch (name) {
            case "service" -> service;
            case "name" -> alertName;
            case "severity" -> severity;
            default -> labels == null ? null : labels.get(name);
        };
        String v = actual == null ? "" : actual;
        return switch (op) {
            case "=" -> v.equals(value);
            case "!=" -> !v.equals(value);
            default -> compile(value).matcher(v).matches();
        };
    }

    @Override
    public String toString() {
        return name + op + value;
    }

    public Map<String, Object> view() {
        return Map.of("name", name, "op", op, "value", value);
    }

    private static Pattern compile(String regex) {
        Pattern known = COMPILED.get(regex);
        if (known != null) return known;
        try {
            if (COMPILED.size() > 10_000) COMPILED.clear();
            Pattern p = Pattern.compile(regex);
            COMPILED.put(regex, p);
            return p;
        } catch (PatternSyntaxException e) {
            throw new InvalidSilence("matchers: value: not a valid regular expression '" + regex + "': "
                    + e.getDescription() + " near index " + e.getIndex());
        }
    }
}
