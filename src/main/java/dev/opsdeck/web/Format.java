package dev.opsdeck.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Text shown to people: times, latencies, percentages. Used by the templates, so all public and static. */
public final class Format {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UTC_CLOCK =
            DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UTC_SECONDS =
            DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter UTC_DAY =
            DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Format() {}

    public static String ms(long millis) {
        if (millis < 1_000) return millis + " ms";
        if (millis < 60_000) return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        return String.format(Locale.ROOT, "%.1f min", millis / 60_000.0);
    }

    /**
     * Uptime rounded down, so 99.999% never reads as a reassuring "100.00%": only a window with
     * no failure at all shows 100%.
     */
    public static String percent(double value) {
        if (Double.isNaN(value)) return "—";
        if (value >= 100.0) return "100%";
        return String.format(Locale.ROOT, "%.2f%%", Math.floor(value * 100) / 100);
    }

    public static String ago(long atMs, long nowMs) {
        return atMs <= 0 ? "never" : span(nowMs - atMs) + " ago";
    }

    /** A length of time in its two largest units: {@code 40 s}, {@code 12 min}, {@code 3 h 5 min}, {@code 2 d 4 h}. */
    public static String span(long millis) {
        long s = Math.max(0, millis / 1000);
        if (s < 60) return s + " s";
        if (s < 3_600) return s / 60 + " min";
        if (s < 86_400) return s / 3_600 + " h " + s % 3_600 / 60 + " min";
        return s / 86_400 + " d " + s % 86_400 / 3_600 + " h";
    }

    /** A point in time with its zone written out ("2026-03-01 10:15:00 UTC"): callers add no "UTC" of their own. */
    public static String utc(long ms) {
        return ms <= 0 ? "never" : UTC_TIME.format(Instant.ofEpochMilli(ms));
    }

    /** A short time label for chart axes: clock time for windows up to a day, date and time beyond. */
    public static String axis(long ms, boolean withDay) {
        return (withDay ? UTC_DAY : UTC_CLOCK).format(Instant.ofEpochMilli(ms));
    }

    /** Wall-clock time with seconds, so a ticking "updated" shows the page is alive. */
    public static String clock(long ms) {
        return UTC_SECONDS.format(Instant.ofEpochMilli(ms));
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String interval(long millis) {
        return millis % 60_000 == 0 && millis > 0
                ? millis / 60_000 + " min"
                : millis % 1_000 == 0 ? millis / 1_000 + " s" : millis + " ms";
    }

    /** Measured values as {@code KEY=value} pairs, in a stable order. */
    public static String values(Map<String, Object> values) {
        return values.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("  "));
    }
}
