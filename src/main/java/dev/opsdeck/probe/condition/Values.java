package dev.opsdeck.probe.condition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opsdeck.config.Json;
import dev.opsdeck.config.Units;
import dev.opsdeck.probe.Observation;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Resolves placeholder paths against an observation and turns values into comparable forms. */
final class Values {

    /** Thrown when a path cannot be followed; the message is shown to the user. */
    static final class Missing extends Exception {
        Missing(String message) {
            super(message, null, false, false);
        }
    }

    private Values() {}

    static Object resolve(Operand.Placeholder p, Observation o) throws Missing {
        if (!o.has(p.name())) {
            String why = o.absence(p.name());
            throw new Missing(why == null ? "not measured" : why);
        }
        Object v = o.get(p.name());
        if (p.path().isEmpty()) {
            return v;
        }
        if (v instanceof Observation.Secret secret) {
            // what lies below a secret is as secret as the whole
            Object cur = secret.value();
            for (Object step : p.path()) {
                cur = step(cur, step, p);
            }
            return new Observation.Secret(cur);
        }
        if (v instanceof String s) {
            v = parseJson(p.name(), s, o);
        }
        Object cur = v;
        for (Object step : p.path()) {
            cur = step(cur, step, p);
        }
        return cur;
    }

    private static Object parseJson(String name, String text, Observation o) throws Missing {
        String cacheKey = name + "#json";
        if (o.has(cacheKey)) {
            Object cached = o.get(cacheKey);
            if (cached == null) throw new Missing("body is not JSON");
            return cached;
        }
        try {
            Object parsed = Json.MAPPER.readValue(text, Object.class);
            o.values().put(cacheKey, parsed);
            return parsed;
        } catch (Exception e) {
            o.values().put(cacheKey, null);
            throw new Missing("body is not JSON");
        }
    }

    private static Object step(Object cur, Object step, Operand.Placeholder p) throws Missing {
        if (step instanceof Integer i) {
            if (cur instanceof List<?> list) {
                if (i < list.size()) return list.get(i);
                throw new Missing("index " + i + " is out of range (length " + list.size() + ")");
            }
            if (cur instanceof JsonNode n && n.isArray()) {
                if (i < n.size()) return n.get(i);
                throw new Missing("index " + i + " is out of range");
            }
            throw new Missing("not a list at [" + i + "]");
        }
        String key = (String) step;
        if (cur instanceof Map<?, ?> map) {
            Object exact = map.get(key);
            if (exact != null || map.containsKey(key)) return exact;
            // HTTP header names are case-insensitive
            for (var e : map.entrySet()) {
                if (String.valueOf(e.getKey()).equalsIgnoreCase(key)) return e.getValue();
            }
            throw new Missing("no field \"" + key + "\"");
        }
        throw new Missing("cannot read \"" + key + "\" from " + kind(cur));
    }

    /** The value itself, for comparing: a secret is compared like its content (and never shown). */
    static Object reveal(Object v) {
        return v instanceof Observation.Secret secret ? secret.value() : v;
    }

    static String kind(Object v) {
        if (v == null) return "null";
        if (v instanceof Observation.Secret) return "a secret value";
        if (v instanceof Map) return "an object";
        if (v instanceof List) return "a list";
        if (v instanceof String) return "text";
        if (v instanceof Number) return "a number";
        if (v instanceof Boolean) return "a boolean";
        return v.getClass().getSimpleName();
    }

    /** A number to compare with, or null: durations give ms, sizes give bytes. */
    static Double numeric(Object v) {
        if (v instanceof Observation.Secret secret) return numeric(secret.value());
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof Duration d) return (double) d.toMillis();
        if (v instanceof Observation.Size s) return (double) s.bytes();
        if (v instanceof Quantity q) return q.value();
        if (v instanceof String s) {
            // compared on every probe ("[BODY].status == healthy", "v1.2"): only a text in number form goes
            // to the parser, so no exception is thrown and caught per probe
            String t = s.strip();
            return isDecimal(t) ? Double.parseDouble(t) : null;
        }
        return null;
    }

    /**
     * The decimal forms Double.parseDouble accepts: [+-] digits [. digits] [e [+-] digits] [fFdD], with
     * digits on at least one side of the point, and [+-]NaN / [+-]Infinity. Hexadecimal floats are text.
     */
    static boolean isDecimal(String t) {
        int i = 0;
        int n = t.length();
        if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) i++;
        if (t.startsWith("NaN", i) || t.startsWith("Infinity", i)) {
            return t.length() - i == (t.charAt(i) == 'N' ? 3 : 8);
        }
        int digits = 0;
        while (i < n && isDigit(t.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && t.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(t.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) return false;
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) i++;
            int exponent = 0;
            while (i < n && isDigit(t.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) return false;
        }
        if (i < n && "fFdD".indexOf(t.charAt(i)) >= 0) i++;
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** How a measured value is shown in messages: text quoted, durations with units. */
    static String show(Object v) {
        if (v == null) return "null";
        if (v instanceof Observation.Secret secret) {
            return secret.value() instanceof String s
                    ? "a secret value (" + s.length() + " characters)"
                    : "a secret value";
        }
        if (v instanceof String s) return "\"" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "\"";
        if (v instanceof Duration d) return Units.format(d);
        if (v instanceof Observation.Size s) return Units.formatBytes(s.bytes());
        if (v instanceof Number n) return number(n.doubleValue());
        if (v instanceof Map || v instanceof List) {
            String s = v.toString();
            return s.length() > 80 ? s.substring(0, 80) + "…" : s;
        }
        return String.valueOf(v);
    }

    static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf((long) d);
        return String.format(Locale.ROOT, "%.3f", d).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
