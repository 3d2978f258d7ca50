package dev.opsdeck.probe.types;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A small reader for the Prometheus text exposition format (also accepts OpenMetrics text):
 * {@code name{label="value",...} value [timestamp]}, with {@code #} lines ignored.
 * Only lines of the wanted metric are parsed, so a large /metrics page costs a scan, not a parse.
 */
final class PrometheusText {
    record Sample(String name, Map<String, String> labels, double value) {}

    /** A line of the wanted metric that does not follow the format; {@code line} is 1-based. */
    static final class Malformed extends Exception {
        Malformed(int line, String why) {
            super("line " + line + ": " + why, null, false, false);
        }
    }

    private PrometheusText() {}

    /** All samples named {@code metric} whose labels pass {@code filter}, in page order. */
    static List<Sample> samples(String text, String metric, Predicate<Map<String, String>> filter) throws Malformed {
        List<Sample> out = new ArrayList<>();
        int lineNo = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) end = text.length();
            lineNo++;
            String line = text.substring(start, end).strip();
            start = end + 1;
            if (line.isEmpty() || line.charAt(0) == '#' || !line.startsWith(metric)) continue;
            int after = metric.length();
            if (after < line.length() && line.charAt(after) != '{' && !Character.isWhitespace(line.charAt(after))) {
                continue; // a longer name sharing the prefix, e.g. foo_total vs foo_total_created
            }
            Sample s = parse(line, after, metric, lineNo);
            if (filter.test(s.labels())) out.add(s);
        }
        return out;
    }

    private static Sample parse(String line, int pos, String metric, int lineNo) throws Malformed {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = pos;
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels, lineNo);
        }
        String rest = line.substring(i).strip();
        if (rest.isEmpty()) throw new Malformed(lineNo, "no value");
        String token = rest.split("\\s+", 2)[0];
        return new Sample(metric, labels, number(token, lineNo));
    }

    /** Reads {@code a="x",b="y"}} from {@code i}; returns the index after the closing brace. */
    private static int labels(String line, int i, Map<String, String> out, int lineNo) throws Malformed {
        while (true) {
            i = skipSpaces(line, i);
            if (i >= line.length()) throw new Malformed(lineNo, "unclosed {");
            if (line.charAt(i) == '}') return i + 1;
            int eq = line.indexOf('=', i);
            if (eq < 0) throw new Malformed(lineNo, "label without =");
            String name = line.substring(i, eq).strip();
            i = skipSpaces(line, eq + 1);
            if (i >= line.length() || line.charAt(i) != '"') {
                throw new Malformed(lineNo, "label " + name + " has no quoted value");
            }
            StringBuilder value = new StringBuilder();
            i++;
            while (true) {
                if (i >= line.length()) throw new Malformed(lineNo, "unterminated value of label " + name);
                char c = line.charAt(i++);
                if (c == '"') break;
                if (c == '\\' && i < line.length()) {
                    char e = line.charAt(i++);
                    value.append(e == 'n' ? '\n' : e); // \\ and \" stand for themselves
                } else {
                    value.append(c);
                }
            }
            out.put(name, value.toString());
            i = skipSpaces(line, i);
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            } else if (i < line.length() && line.charAt(i) != '}') {
                throw new Malformed(lineNo, "expected , or } after label " + name);
            }
        }
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    private static double number(String token, int lineNo) throws Malformed {
        switch (token) {
            case "+Inf", "Inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "NaN" -> {
                return Double.NaN;
            }
            default -> {
                try {
                    return Double.parseDouble(token);
                } catch (NumberFormatException e) {
                    throw new Malformed(lineNo, "value \"" + token + "\" is not a number");
                }
            }
        }
    }
}
