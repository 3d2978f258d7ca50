package dev.opsdeck.oncall;

import dev.opsdeck.config.OnCallConfig.Override;
import dev.opsdeck.config.OnCallConfig.Rotation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Turns of a rotation. A length of whole days follows the calendar of the rotation's zone: every hand-off is at
 * the same local time, so across a DST change one turn is an hour shorter or longer. Other lengths (e.g. 12h)
 * are elapsed time from the first hand-off. An override replaces whoever would be on call while it lasts; the
 * last one defined wins where two overlap.
 */
public final class Rotations {
    private static final Duration DAY = Duration.ofDays(1);

    private Rotations() {}

    /** Who is on call at {@code t}. */
    public static Shift at(Rotation r, Instant t) {
        for (int i = r.overrides().size() - 1; i >= 0; i--) {
            Override o = r.overrides().get(i);
            Instant from = o.from().atZone(r.zone()).toInstant(),
                    to = o.to().atZone(r.zone()).toInstant();
            if (!t.isBefore(from) && t.isBefore(to)) return new Shift(r.key(), o.contact(), from, to, true);
        }
        long k = turn(r, t);
        Instant from = boundary(r, k), until = boundary(r, k + 1);
        String who = k < 0 || r.members().isEmpty()
                ? null
                : r.members().get((int) Math.floorMod(k, r.members().size()));
        if (k < 0) from = null; // nobody yet: the shift of no one began at no particular time
        for (Override o : r.overrides()) { // an override starting during this turn ends it early
            Instant start = o.from().atZone(r.zone()).toInstant();
            if (start.isAfter(t) && start.isBefore(until)) until = start;
        }
        return new Shift(r.key(), who, from, until, false);
    }

    /** Who takes over when the current shift ends. */
    public static Shift next(Rotation r, Instant t) {
        return at(r, at(r, t).until());
    }

    /** The index of the turn containing {@code t}; -1 before the first hand-off. */
    static long turn(Rotation r, Instant t) {
        Instant first = boundary(r, 0);
        if (t.isBefore(first)) return -1;
        if (wholeDays(r)) {
            long days = r.length().toDays();
            ZonedDateTime local = t.atZone(r.zone());
            long since = ChronoUnit.DAYS.between(r.start(), local.toLocalDate());
            long k = Math.floorDiv(since, days);
            while (boundary(r, k).isAfter(t)) k--; // before today's hand-off time
            while (!boundary(r, k + 1).isAfter(t)) k++;
            return k;
        }
        return Math.floorDiv(Duration.between(first, t).toMillis(), r.length().toMillis());
    }

    /** When turn {@code k} begins. */
    static Instant boundary(Rotation r, long k) {
        if (wholeDays(r)) {
            LocalDate day = r.start().plusDays(k * r.length().toDays());
            return ZonedDateTime.of(day, r.handoff(), r.zone()).toInstant(); // a hand-off in a DST gap moves later
        }
        Instant first = ZonedDateTime.of(r.start(), r.handoff(), r.zone()).toInstant();
        return first.plus(r.length().multipliedBy(k));
    }

    private static boolean wholeDays(Rotation r) {
        return r.length().toMillis() % DAY.toMillis() == 0;
    }
}
