package dev.opsdeck.config;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A cron expression: {@code minute hour day-of-month month day-of-week}, or six fields with a leading
 * {@code second}. Fields take {@code *}, numbers, ranges {@code a-b}, steps {@code * /n} and {@code a-b/n}, lists
 * {@code a,b}, month names (JAN..DEC) and day names (SUN..SAT; 0 and 7 are Sunday). When both day fields are
 * restricted a day matches either (as in Vixie cron). {@code @hourly @daily @weekly @monthly @yearly} are accepted.
 *
 * <p>Daylight saving time, the way cron has always done it: a job whose hour field is {@code *} follows the clock
 * (an hourly job runs 23 times on a spring-forward day and 25 times on a fall-back day). A job at fixed hours runs
 * once per matching wall-clock time: when that time does not exist (02:30 on a spring-forward day) it runs at the
 * moment the clocks jump; when it happens twice (01:30 on a fall-back day) it runs at the first one only.
 */
public final class Cron {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly",
            "0 0 1 1 *",
            "@annually",
            "0 0 1 1 *",
            "@monthly",
            "0 0 1 * *",
            "@weekly",
            "0 0 * * 0",
            "@daily",
            "0 0 * * *",
            "@midnight",
            "0 0 * * *",
            "@hourly",
            "0 * * * *");
    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** Search no further: an expression such as "0 0 30 2 *" (30 February) never fires. */
    private static final int YEARS_AHEAD = 8;

    private final String text;
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet weekdays;
    private final boolean anyDay;
    private final boolean anyWeekday;

    private Cron(
            String text,
            BitSet seconds,
            BitSet minutes,
            BitSet hours,
            BitSet days,
            BitSet months,
            BitSet weekdays,
            boolean anyDay,
            boolean anyWeekday) {
        this.text = text;
        this.seconds = seconds;
        this.minutes = minutes;
        this.hours = hours;
        this.days = days;
        this.months = months;
        this.weekdays = weekdays;
        this.anyDay = anyDay;
        this.anyWeekday = anyWeekday;
    }

    /** Parses {@code text}; throws IllegalArgumentException with a message naming the bad field. */
    public static Cron parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        String expanded = MACROS.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
        if (expanded.startsWith("@")) {
            throw new IllegalArgumentException(
                    "unknown macro \"" + trimmed + "\"; known: @hourly, @daily, @weekly, " + "@monthly, @yearly");
        }
        String[] f = expanded.isEmpty() ? new String[0] : expanded.split("\\s+");
        if (f.length != 5 && f.length != 6) {
            throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month day-of-week) or 6 "
                    + "with a leading second, got " + f.length);
        }
        int o = f.length - 5;
        BitSet seconds = o == 1 ? field(f[0], "second", 0, 59, null) : bits(0);
        BitSet weekdays = field(f[o + 4], "day-of-week", 0, 7, DAYS);
        if (weekdays.get(7)) {
            weekdays.set(0); // 7 is Sunday too
            weekdays.clear(7);
        }
        return new Cron(
                trimmed,
                seconds,
                field(f[o], "minute", 0, 59, null),
                field(f[o + 1], "hour", 0, 23, null),
                field(f[o + 2], "day-of-month", 1, 31, null),
                field(f[o + 3], "month", 1, 12, MONTHS),
                weekdays,
                f[o + 2].equals("*") || f[o + 2].equals("?"),
                f[o + 4].equals("*") || f[o + 4].equals("?"));
    }

    @Override
    public String toString() {
        return text;
    }

    /** True when the hour field is every hour: such a job follows the clock through DST changes. */
    boolean everyHour() {
        return hours.cardinality() == 24;
    }

    /** The first fire time strictly after {@code after} in {@code zone}; null when there is none in the next years. */
    public Instant next(Instant after, ZoneId zone) {
        // candidates are walked in wall-clock order; around a fall-back the same wall time maps to two instants, so
        // start a little before and keep the earliest instant that lies after 'after'
        var rules = zone.getRules();
        boolean shifted = !rules.getOffset(after).equals(rules.getOffset(after.minus(3, ChronoUnit.HOURS)));
        LocalDateTime local = LocalDateTime.ofInstant(after, zone)
                .truncatedTo(ChronoUnit.SECONDS)
                .minusHours(shifted ? 3 : 0);
        LocalDateTime limit = local.plusYears(YEARS_AHEAD);
        Instant best = null;
        LocalDateTime bestLocal = null;
        while (true) {
            local = nextLocal(local, limit);
            if (local == null) return best;
            if (bestLocal != null && local.isAfter(bestLocal.plusHours(3))) return best;
            for (Instant i : instants(local, zone)) {
                if (i.isAfter(after) && (best == null || i.isBefore(best))) {
                    best = i;
                    bestLocal = local;
                }
            }
            local = local.plusSeconds(1);
        }
    }

    /** The instants at which the wall-clock time {@code local} fires (see the class comment for DST). */
    private List<Instant> instants(LocalDateTime local, ZoneId zone) {
        var rules = zone.getRules();
        var offsets = rules.getValidOffsets(local);
        if (offsets.size() == 1) return List.of(local.toInstant(offsets.getFirst()));
        ZoneOffsetTransition t = rules.getTransition(local);
        if (offsets.isEmpty()) {
            // a gap: this wall time does not exist today
            return everyHour() ? List.of() : List.of(t.getInstant());
        }
        ZonedDateTime first = ZonedDateTime.ofLocal(local, zone, t.getOffsetBefore());
        if (!everyHour()) return List.of(first.toInstant());
        return List.of(first.toInstant(), first.withLaterOffsetAtOverlap().toInstant());
    }

    /** The first wall-clock time at or after {@code t} that matches every field; null past {@code limit}. */
    private LocalDateTime nextLocal(LocalDateTime t, LocalDateTime limit) {
        while (!t.isAfter(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            } else if (!seconds.get(t.getSecond())) {
                t = t.plusSeconds(1);
            } else {
                return t;
            }
        }
        return null;
    }

    private boolean dayMatches(LocalDateTime t) {
        boolean dom = days.get(t.getDayOfMonth());
        boolean dow = weekdays.get(
                t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
        if (anyDay && anyWeekday) return true;
        if (anyDay) return dow;
        if (anyWeekday) return dom;
        return dom || dow;
    }

    private static BitSet field(String text, String name, int min, int max, List<String> names) {
        BitSet out = new BitSet();
        for (String part : text.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), name, 1, max, null, text);
            }
            int from;
            int to;
            if (range.equals("*") || range.equals("?")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ab = range.split("-", -1);
                if (ab.length != 2) throw bad(name, text, "a range is written a-b");
                from = number(ab[0], name, min, max, names, text);
                to = number(ab[1], name, min, max, names, text);
                if (from > to) throw bad(name, text, "range " + range + " runs backwards");
            } else {
                from = number(range, name, min, max, names, text);
                to = slash >= 0 ? max : from; // "5/15" means 5, 20, 35, 50
            }
            for (int v = from; v <= to; v += step) out.set(v);
        }
        return out;
    }

    private static int number(String s, String name, int min, int max, List<String> names, String field) {
        if (names != null) {
            int i = names.indexOf(s.toUpperCase(Locale.ROOT));
            if (i >= 0) return names == MONTHS ? i + 1 : i;
        }
        if (!s.matches("\\d{1,4}"))
            throw bad(
                    name,
                    field,
                    "\"" + s + "\" is not a number"
                            + (names != null ? " or a name (" + names.getFirst() + ".." + names.getLast() + ")" : ""));
        int v = Integer.parseInt(s);
        if (v < min || v > max) throw bad(name, field, v + " is out of range " + min + "-" + max);
        return v;
    }

    private static IllegalArgumentException bad(String name, String field, String why) {
        return new IllegalArgumentException(name + " field \"" + field + "\": " + why);
    }

    private static BitSet bits(int... values) {
        BitSet b = new BitSet();
        for (int v : values) b.set(v);
        return b;
    }
}
