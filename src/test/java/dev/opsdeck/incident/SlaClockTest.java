package dev.opsdeck.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** "Next business day": the end of the first Monday-to-Friday day after the opening day, in the configured zone. */
class SlaClockTest {
    private static long due(String opened, String zone) {
        return SlaClock.endOfNextBusinessDay(Instant.parse(opened).toEpochMilli(), ZoneId.of(zone));
    }

    @Test
    void aWeekdayIsDueWhenTheNextDayEnds() {
        assertThat(due("2025-06-04T10:00:00Z", "UTC"))
                .isEqualTo(Instant.parse("2025-06-06T00:00:00Z").toEpochMilli());
    }

    @Test
    void fridayAndTheWeekendAreDueWhenMondayEnds() {
        long mondayEnd = Instant.parse("2025-06-10T00:00:00Z").toEpochMilli();
        assertThat(due("2025-06-06T18:00:00Z", "UTC")).isEqualTo(mondayEnd);
        assertThat(due("2025-06-07T09:00:00Z", "UTC")).isEqualTo(mondayEnd);
        assertThat(due("2025-06-08T23:59:00Z", "UTC")).isEqualTo(mondayEnd);
    }

    @Test
    void theZoneDecidesWhichDayItIs() {
        // Friday 23:30 UTC is already Saturday in Berlin: still due when Monday ends there
        assertThat(due("2025-06-06T23:30:00Z", "Europe/Berlin"))
                .isEqualTo(Instant.parse("2025-06-09T22:00:00Z").toEpochMilli());
        // Sunday 23:30 in New York is Monday 03:30 UTC: due when Monday ends in New York
        assertThat(due("2025-06-09T03:30:00Z", "America/New_York"))
                .isEqualTo(Instant.parse("2025-06-10T04:00:00Z").toEpochMilli());
    }
}
