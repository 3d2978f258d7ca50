package dev.opsdeck.probe.condition;

import dev.opsdeck.config.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses Gatus-style conditions such as {@code [BODY].status == healthy},
 * {@code [RESPONSE_TIME] < 800ms}, {@code len([BODY].items) > 0}, {@code [STATUS] == any(200, 204)}.
 */
public final class ConditionParser {
    private static final String[] OPERATORS = {"==", "!=", "<=", ">=", "<", ">"};
    private static final String OPERATOR_CHARS = "=!<>";
    private static final String OPERATOR_HINT =
            "operators are == != < <= > >=; quote a text that starts with" + " = ! < or >, e.g. [BODY] == \"=ok\"";

    private ConditionParser() {}

    /** Parses {@code text}, accepting only the placeholders in {@code allowed}. */
    public static Condition parse(String text, Set<String> allowed) throws ConditionSyntaxException {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new ConditionSyntaxException("empty condition", "write e.g. [STATUS] == 200");
        }
        int[] op = findOperator(t);
        if (op == null) {
            Operand alone = operand(t, allowed, true);
            if (alone instanceof Operand.Has || alone instanceof Operand.Placeholder) {
                // "has([BODY].x)" or "[CONNECTED]" alone means "is true"
                return new Condition(t, alone, Operator.EQ, new Operand.Literal(Boolean.TRUE, "true"));
            }
            throw new ConditionSyntaxException(
                    "missing comparison operator in \"" + t + "\"", "use one of == != < <= > >=, e.g. [STATUS] == 200");
        }
        String symbol = t.substring(op[0], op[0] + op[1]);
        // "===", "=>", "<>": an operator glued to more operator characters is a typo, not "==" and a text "= 200"
        int start = op[0];
        int end = op[0] + op[1];
        while (start > 0 && OPERATOR_CHARS.indexOf(t.charAt(start - 1)) >= 0) start--;
        while (end < t.length() && OPERATOR_CHARS.indexOf(t.charAt(end)) >= 0) end++;
        if (end - start != symbol.length()) {
            throw new ConditionSyntaxException(
                    "unknown operator \"" + t.substring(start, end) + "\" in \"" + t + "\"", OPERATOR_HINT);
        }
        String left = t.substring(0, op[0]).trim();
        String right = t.substring(op[0] + op[1]).trim();
        if (left.isEmpty() || right.isEmpty()) {
            throw new ConditionSyntaxException(
                    "\"" + t + "\" needs a value on both sides of " + symbol, "e.g. [RESPONSE_TIME] < 500ms");
        }
        Operator operator = Operator.of(symbol);
        Operand l = operand(left, allowed, true);
        Operand r = operand(right, allowed, false);
        if ((r instanceof Operand.AnyOf || r instanceof Operand.Pattern) && !operator.isEquality()) {
            throw new ConditionSyntaxException(r.text() + " works only with == or !=", null);
        }
        if (l instanceof Operand.Literal && r instanceof Operand.Literal) {
            throw new ConditionSyntaxException(
                    "\"" + t + "\" compares two constants", "one side must be a placeholder such as [STATUS]");
        }
        return new Condition(t, l, operator, r);
    }

    /** Finds the first operator outside brackets, parentheses and quotes: {start, length}. */
    private static int[] findOperator(String t) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                continue;
            }
            if (c == '"' || c == '\'') quote = c;
            else if (c == '[' || c == '(') depth++;
            else if (c == ']' || c == ')') depth--;
            else if (depth == 0) {
                for (String o : OPERATORS) {
                    if (t.startsWith(o, i)) {
                        return new int[] {i, o.length()};
                    }
                }
            }
        }
        return null;
    }

    private static Operand operand(String s, Set<String> allowed, boolean left) throws ConditionSyntaxException {
        if (s.startsWith("[")) {
            return placeholder(s, allowed);
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("len(") && s.endsWith(")")) {
            return new Operand.Len(placeholder(s.substring(4, s.length() - 1).trim(), allowed), s);
        }
        if (lower.startsWith("has(") && s.endsWith(")")) {
            return new Operand.Has(placeholder(s.substring(4, s.length() - 1).trim(), allowed), s);
        }
        if (lower.startsWith("any(") && s.endsWith(")")) {
            List<Operand.Literal> options = new ArrayList<>();
            for (String part : splitArgs(s.substring(4, s.length() - 1))) {
                options.add(literal(part.trim()));
            }
            if (options.isEmpty()) {
                throw new ConditionSyntaxException("any() needs at least one value", "e.g. any(200, 204)");
            }
            return new Operand.AnyOf(options, s);
        }
        if (lower.startsWith("pat(") && s.endsWith(")")) {
            return new Operand.Pattern(
                    glob(unquote(s.substring(4, s.length() - 1).trim())), s);
        }
        if (s.matches("[a-zA-Z_]+\\(.*")) {
            String name = s.substring(0, s.indexOf('('));
            throw new ConditionSyntaxException("unknown function " + name + "()", "functions: len, has, any, pat");
        }
        if (OPERATOR_CHARS.indexOf(s.charAt(0)) >= 0) {
            throw new ConditionSyntaxException(
                    "unquoted text \"" + s + "\" starts with an operator character", OPERATOR_HINT);
        }
        return literal(s);
    }

    private static Operand.Placeholder placeholder(String s, Set<String> allowed) throws ConditionSyntaxException {
        int close = s.indexOf(']');
        if (!s.startsWith("[") || close < 0) {
            throw new ConditionSyntaxException("unclosed placeholder in \"" + s + "\"", "write e.g. [BODY].status");
        }
        String name = s.substring(1, close).trim().toUpperCase(Locale.ROOT);
        if (!allowed.contains(name)) {
            throw new ConditionSyntaxException(
                    "unknown placeholder [" + name + "] for this check type",
                    "available: "
                            + String.join(
                                    " ",
                                    allowed.stream()
                                            .sorted()
                                            .map(p -> "[" + p + "]")
                                            .toList()));
        }
        return new Operand.Placeholder(name, path(s.substring(close + 1), s), s);
    }

    /**
     * Parses a path into a document written without a placeholder, {@code runtime.profile} or
     * {@code servers[0]["dotted.key"]}: the same syntax as the path after a placeholder.
     */
    public static List<Object> documentPath(String text) throws ConditionSyntaxException {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new ConditionSyntaxException("empty path", "write e.g. runtime.profile or servers[0].name");
        }
        return path(t.startsWith("[") ? t : "." + t, t);
    }

    /** Parses {@code .a.b[0]["x y"]} into keys (String) and indexes (Integer). */
    static List<Object> path(String rest, String whole) throws ConditionSyntaxException {
        List<Object> path = new ArrayList<>();
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < rest.length() && rest.charAt(j) != '.' && rest.charAt(j) != '[') j++;
                if (j == i + 1) {
                    throw new ConditionSyntaxException("empty path segment in \"" + whole + "\"", null);
                }
                path.add(rest.substring(i + 1, j));
                i = j;
            } else if (c == '[') {
                int j = rest.indexOf(']', i);
                if (j < 0) {
                    throw new ConditionSyntaxException("unclosed [ in \"" + whole + "\"", null);
                }
                String inner = rest.substring(i + 1, j).trim();
                if (inner.matches("\\d+")) {
                    path.add(Integer.parseInt(inner));
                } else {
                    path.add(unquote(inner));
                }
                i = j + 1;
            } else {
                throw new ConditionSyntaxException(
                        "unexpected \"" + rest.substring(i) + "\" after placeholder in \"" + whole + "\"",
                        "paths look like [BODY].data.items[0].id");
            }
        }
        return List.copyOf(path);
    }

    static Operand.Literal literal(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return new Operand.Literal(s.substring(1, s.length() - 1), s);
        }
        if (s.equals("true") || s.equals("false")) {
            return new Operand.Literal(Boolean.valueOf(s), s);
        }
        if (s.equals("null")) {
            return new Operand.Literal(null, s);
        }
        // a strict pattern: Double.parseDouble alone would read "14d" (a duration) as 14.0
        if (s.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) {
            return new Operand.Literal(Double.parseDouble(s), s);
        }
        var duration = Units.duration(s);
        if (duration != null) {
            return new Operand.Literal(new Quantity(duration.toMillis(), Quantity.Unit.MILLIS), s);
        }
        Double percent = Units.percent(s);
        if (percent != null) {
            return new Operand.Literal(new Quantity(percent, Quantity.Unit.PERCENT), s);
        }
        if (s.matches("(?i)\\d+(\\.\\d+)?\\s*(kb|mb|gb|tb|kib|mib|gib|tib|b)")) {
            return new Operand.Literal(new Quantity(Units.size(s), Quantity.Unit.BYTES), s);
        }
        return new Operand.Literal(s, s);
    }

    private static List<String> splitArgs(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (char c : s.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                cur.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                cur.append(c);
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) out.add(cur.toString());
        return out;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
