package dev.opsdeck.incident;

import dev.opsdeck.config.IncidentsConfig;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** When an incident's acknowledgement and resolution are due, from its severity and when it opened. */
final class SlaClock {
    private SlaClock() {}

    static Long ackDue(IncidentsConfig config, String severity, long openedMs) {
        return due(config.ack().forSeverity(severity), openedMs, config.timeZone());
    }

    static Long resolveDue(IncidentsConfig config, String severity, long openedMs) {
        return due(config.resolve().forSeverity(severity), openedMs, config.timeZone());
    }

    /** Null when there is no target. */
    static Long due(IncidentsConfig.Target target, long openedMs, ZoneId zone) {
        if (target.none()) return null;
        if (target.duration() != null) return openedMs + target.duration().toMillis();
        return endOfNextBusinessDay(openedMs, zone);
    }

    /**
     * The end (midnight) of the first Monday-to-Friday day after the opening day, in {@code zone}: opened on a
     * Wednesday, due when Thursday ends; opened on a Friday or during the weekend, due when Monday ends.
     * Public holidays are not known, so a holiday counts as a business day.
     */
    static long endOfNextBusinessDay(long openedMs, ZoneId zone) {
        LocalDate day =
                Instant.ofEpochMilli(openedMs).atZone(zone).toLocalDate().plusDays(1);
        while (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY) {
            day = day.plusDays(1);
        }
        return day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
