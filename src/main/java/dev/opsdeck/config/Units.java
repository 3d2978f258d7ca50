package dev.opsdeck.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The units people write in ops files: {@code 500ms 30s 5m 1h 7d}, {@code 200MB}, {@code 85%}. */
public final class Units {
    /**
     * Longer numbers are no duration or size anyone means; refusing them up front keeps reading linear, since an
     * exact decimal of a million digits takes far longer to build than the text takes to scan.
     */
    private static final int LONGEST_NUMBER = 64;

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d|w)");
    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?", Pattern.CASE_INSENSITIVE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");

    private Units() {}

    /**
     * Durations parsed so far, by text, up to {@link #SHARED_DURATIONS} of them: a configuration of 100,000 checks
     * writes "60s" and "5s" once per check, and each check keeps its interval and timeout while it runs. A
     * {@link Duration} is immutable, so one copy per text serves them all, and the text is parsed once.
     */
    private static final Map<String, Duration> SHARED = new ConcurrentHashMap<>();

    private static final int SHARED_DURATIONS = 256;

    /** Parses {@code 1h30m}, {@code 250ms}; returns null when the text is not a duration. */
    public static Duration duration(String text) {
        if (text == null) {
            return null;
        }
        Duration known = SHARED.get(text);
        if (known != null) return known;
        Duration parsed = parseDuration(text);
        if (parsed != null && text.length() <= 16 && SHARED.size() < SHARED_DURATIONS) SHARED.putIfAbsent(text, parsed);
        return parsed;
    }

    private static Duration parseDuration(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return null;
        }
        // each part is matched where the previous one ended (lookingAt), never searched for: a search
        // from every position of a long run of digits takes quadratic time
        Matcher m = DURATION.matcher(s);
        BigDecimal millis = BigDecimal.ZERO;
        int end = 0;
        while (end < s.length()) {
            m.region(end, s.length());
            if (!m.lookingAt() || m.group(1).length() > LONGEST_NUMBER) {
                return null;
            }
            millis = millis.add(new BigDecimal(m.group(1))
                    .multiply(BigDecimal.valueOf(
                            switch (m.group(2)) {
                                case "ms" -> 1L;
                                case "s" -> 1_000L;
                                case "m" -> 60_000L;
                                case "h" -> 3_600_000L;
                                case "d" -> 86_400_000L;
                                default -> 604_800_000L;
                            })));
            end = m.end();
        }
        if (millis.compareTo(LONG_MAX) >= 0) {
            return null; // beyond any useful duration; read as "not a duration", never as a wrapped negative one
        }
        return Duration.ofMillis(whole(millis));
    }

    /** Parses {@code 200MB} (decimal) or {@code 1GiB} (binary) to bytes; null when not a size. */
    public static Long size(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches() || m.group(1).length() > LONGEST_NUMBER) {
            return null;
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            default -> 1;
        };
        return whole(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor)));
    }

    /**
     * Whole units of an exact decimal product, a fraction dropped. Exact because a bound is written the way users
     * write values: in binary floating point 4.35MB came out as 4349999 bytes and 0.009h as 32399 ms, one short
     * of what the file says, so a value written exactly at a limit could be refused.
     */
    private static long whole(BigDecimal n) {
        return n.compareTo(LONG_MAX) >= 0
                ? Long.MAX_VALUE
                : n.setScale(0, RoundingMode.DOWN).longValueExact();
    }

    /** Parses {@code 85%} to 85.0; null when not a percentage. */
    public static Double percent(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = PERCENT.matcher(text.trim());
        return m.matches() ? Double.parseDouble(m.group(1)) : null;
    }

    /** Formats a duration the way users write it: {@code 950ms}, {@code 2.5s}, {@code 3m}, {@code 14d}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 0) {
            return "-" + format(d.negated()); // e.g. a certificate that expired 29 days ago: -29d
        }
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return trim(ms / 1000.0) + "s";
        }
        if (ms < 3_600_000) {
            return trim(ms / 60_000.0) + "m";
        }
        if (ms < 86_400_000) {
            return trim(ms / 3_600_000.0) + "h";
        }
        return trim(ms / 86_400_000.0) + "d";
    }

    public static String formatBytes(double bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        int i = 0;
        while (Math.abs(bytes) >= 1000 && i < units.length - 1) {
            bytes /= 1000;
            i++;
        }
        return trim(bytes) + units[i];
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
