package dev.opsdeck.runbook.markdown;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as documents write them ("(5 minutes)", "RTO Target: ≤ 2 hours") and as runbooks do ({@code 5m}). */
final class Durations {
    private static final String UNIT = "(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)";
    /** "Step 1: Assess Current State (5 minutes)", "(~10 min)". */
    private static final Pattern IN_HEADING =
            Pattern.compile("(?i)\\(\\s*(?:~|about\\s+|approx\\.?\\s+)?(\\d{1,4})\\s*" + UNIT + "\\s*\\)");
    /** "RTO Target: 30 minutes", "Target RTO: ≤ 2 hours", "RTO: 15m". */
    private static final Pattern RTO = Pattern.compile("(?i)\\b(?:RTO(?:\\s+target)?|target\\s+RTO)\\s*:?\\s*"
            + "(?:≤|<=|<|under|within|about)?\\s*~?(\\d{1,4})\\s*" + UNIT + "\\b");

    private Durations() {}

    /** The duration in a heading's parentheses, as a runbook duration; null when there is none. */
    static String inHeading(String heading) {
        Matcher m = IN_HEADING.matcher(heading);
        return m.find() ? of(m.group(1), m.group(2)) : null;
    }

    /** The RTO target a text states, as a runbook duration; null when it states none. */
    static String rto(String text) {
        Matcher m = RTO.matcher(text);
        return m.find() ? of(m.group(1), m.group(2)) : null;
    }

    static long seconds(String duration) {
        long n = Long.parseLong(duration.substring(0, duration.length() - 1));
        return switch (duration.charAt(duration.length() - 1)) {
            case 'h' -> n * 3600;
            case 'm' -> n * 60;
            default -> n;
        };
    }

    static String format(long seconds) {
        if (seconds > 0 && seconds % 3600 == 0) return seconds / 3600 + "h";
        if (seconds > 0 && seconds % 60 == 0) return seconds / 60 + "m";
        return Math.max(seconds, 1) + "s";
    }

    private static String of(String number, String unit) {
        long n = Long.parseLong(number);
        char u = unit.toLowerCase(Locale.ROOT).charAt(0);
        return format(u == 'h' ? n * 3600 : u == 'm' ? n * 60 : n);
    }
}
