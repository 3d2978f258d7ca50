package dev.opsdeck.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Next fire times computed from a given instant: fields, names, steps, time zones and both DST changes. */
class CronTest {
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    private static List<Instant> fires(String cron, ZoneId zone, Instant from, Instant until) {
        Cron c = Cron.parse(cron);
        List<Instant> out = new ArrayList<>();
        for (Instant t = c.next(from, zone); t != null && t.isBefore(until); t = c.next(t, zone)) out.add(t);
        return out;
    }

    @Test
    void aDailyJobFiresAtItsTimeInItsZone() {
        Cron c = Cron.parse("0 2 * * *");
        assertThat(c.next(at("2026-06-01T00:00:00Z"), ZoneOffset.UTC)).isEqualTo(at("2026-06-01T02:00:00Z"));
        assertThat(c.next(at("2026-06-01T02:00:00Z"), ZoneOffset.UTC)).isEqualTo(at("2026-06-02T02:00:00Z"));
        // 02:00 in India (+05:30) is 20:30 UTC the day before; in New York in summer (-04:00) 06:00 UTC
        assertThat(c.next(at("2026-06-01T00:00:00Z"), ZoneId.of("Asia/Kolkata")))
                .isEqualTo(at("2026-06-01T20:30:00Z"));
        assertThat(c.next(at("2026-06-01T00:00:00Z"), NEW_YORK)).isEqualTo(at("2026-06-01T06:00:00Z"));
    }

    @Test
    void aJobAtATimeThatDoesNotExistOnTheSpringForwardDayRunsWhenTheClocksJump() {
        // 2026-03-08 in New York: 02:00 EST becomes 03:00 EDT (07:00 UTC); 02:30 does not happen that day
        Cron c = Cron.parse("30 2 * * *");
        Instant march7 = c.next(at("2026-03-07T00:00:00Z"), NEW_YORK);
        assertThat(march7).isEqualTo(at("2026-03-07T07:30:00Z")); // 02:30 EST
        Instant march8 = c.next(march7, NEW_YORK);
        assertThat(march8).isEqualTo(at("2026-03-08T07:00:00Z")); // the jump, 03:00 EDT: once, not skipped
        assertThat(c.next(march8, NEW_YORK)).isEqualTo(at("2026-03-09T06:30:00Z")); // 02:30 EDT
    }

    @Test
    void aJobAtATimeThatHappensTwiceOnTheFallBackDayRunsOnce() {
        // 2026-11-01 in New York: 02:00 EDT becomes 01:00 EST (06:00 UTC); 01:30 happens at 05:30 and 06:30 UTC
        Cron c = Cron.parse("30 1 * * *");
        Instant nov1 = c.next(at("2026-10-31T12:00:00Z"), NEW_YORK);
        assertThat(nov1).isEqualTo(at("2026-11-01T05:30:00Z")); // the first 01:30 (EDT)
        assertThat(c.next(nov1, NEW_YORK)).isEqualTo(at("2026-11-02T06:30:00Z")); // not again at 06:30 UTC that day
        // asked from between the two 01:30s, the next one is the next day's
        assertThat(c.next(at("2026-11-01T06:00:00Z"), NEW_YORK)).isEqualTo(at("2026-11-02T06:30:00Z"));
    }

    @Test
    void anHourlyJobFollowsTheClockThroughBothChanges() {
        LocalDate spring = LocalDate.of(2026, 3, 8);
        LocalDate autumn = LocalDate.of(2026, 11, 1);
        List<Instant> springDay = fires(
                "0 * * * *",
                NEW_YORK,
                spring.atStartOfDay(NEW_YORK).toInstant().minusSeconds(1),
                spring.plusDays(1).atStartOfDay(NEW_YORK).toInstant());
        List<Instant> autumnDay = fires(
                "0 * * * *",
                NEW_YORK,
                autumn.atStartOfDay(NEW_YORK).toInstant().minusSeconds(1),
                autumn.plusDays(1).atStartOfDay(NEW_YORK).toInstant());
        assertThat(springDay).hasSize(23).doesNotHaveDuplicates();
        assertThat(autumnDay)
                .hasSize(25)
                .doesNotHaveDuplicates()
                .contains(at("2026-11-01T05:00:00Z"), at("2026-11-01T06:00:00Z")); // 01:00 EDT and 01:00 EST
        // every fire an hour after the one before: nothing skipped, nothing twice
        for (int i = 1; i < autumnDay.size(); i++) {
            assertThat(autumnDay.get(i).getEpochSecond() - autumnDay.get(i - 1).getEpochSecond())
                    .isEqualTo(3600);
        }
    }

    @Test
    void aDailyJobInTheRepeatedHourOfEuropeFiresOncePerDayAcrossTheChange() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 2026-10-25 in Berlin: 03:00 CEST becomes 02:00 CET; 02:30 happens twice
        List<Instant> week = fires("30 2 * * *", berlin, at("2026-10-22T12:00:00Z"), at("2026-10-28T12:00:00Z"));
        assertThat(week)
                .containsExactly(
                        at("2026-10-23T00:30:00Z"),
                        at("2026-10-24T00:30:00Z"),
                        at("2026-10-25T00:30:00Z"),
                        at("2026-10-26T01:30:00Z"),
                        at("2026-10-27T01:30:00Z"),
                        at("2026-10-28T01:30:00Z"));
    }

    @Test
    void fieldsNamesStepsListsAndSeconds() {
        // every 10 seconds with the optional leading seconds field
        assertThat(fires("*/10 * * * * *", ZoneOffset.UTC, at("2026-01-01T00:00:00Z"), at("2026-01-01T00:01:00Z")))
                .hasSize(5)
                .first()
                .isEqualTo(at("2026-01-01T00:00:10Z"));
        // 09:00 on weekdays in January and July
        List<Instant> jan =
                fires("0 9 * JAN,jul MON-FRI", ZoneOffset.UTC, at("2026-01-01T00:00:00Z"), at("2026-02-01T00:00:00Z"));
        assertThat(jan).hasSize(22); // January 2026 has 22 weekdays
        // a step from a start: 5, 20, 35, 50
        assertThat(fires("5/15 0 1 1 *", ZoneOffset.UTC, at("2026-01-01T00:00:00Z"), at("2026-01-01T01:00:00Z")))
                .containsExactly(
                        at("2026-01-01T00:05:00Z"),
                        at("2026-01-01T00:20:00Z"),
                        at("2026-01-01T00:35:00Z"),
                        at("2026-01-01T00:50:00Z"));
        // both day fields restricted: the 13th, and every Friday (as cron has always read it); 7 is Sunday
        assertThat(fires("0 0 13 * 5", ZoneOffset.UTC, at("2026-01-01T00:00:00Z"), at("2026-02-01T00:00:00Z")))
                .containsExactly(
                        at("2026-01-02T00:00:00Z"),
                        at("2026-01-09T00:00:00Z"),
                        at("2026-01-13T00:00:00Z"),
                        at("2026-01-16T00:00:00Z"),
                        at("2026-01-23T00:00:00Z"),
                        at("2026-01-30T00:00:00Z"));
        assertThat(Cron.parse("0 0 * * 7").next(at("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
                .isEqualTo(at("2026-01-04T00:00:00Z")); // the first Sunday
        assertThat(Cron.parse("@daily").next(at("2026-01-01T10:00:00Z"), ZoneOffset.UTC))
                .isEqualTo(at("2026-01-02T00:00:00Z"));
    }

    @Test
    void anExpressionThatNeverMatchesHasNoNextTime() {
        assertThat(Cron.parse("0 0 30 2 *").next(at("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
                .isNull();
    }

    @Test
    void badExpressionsSayWhichFieldIsWrong() {
        assertThatThrownBy(() -> Cron.parse("61 * * * *")).hasMessage("minute field \"61\": 61 is out of range 0-59");
        assertThatThrownBy(() -> Cron.parse("* * *"))
                .hasMessage(
                        "expected 5 fields (minute hour day-of-month month day-of-week) or 6 with a leading second, got 3");
        assertThatThrownBy(() -> Cron.parse("0 2 * FOO *"))
                .hasMessage("month field \"FOO\": \"FOO\" is not a number or a name (JAN..DEC)");
        assertThatThrownBy(() -> Cron.parse("0 5-2 * * *")).hasMessage("hour field \"5-2\": range 5-2 runs backwards");
        assertThatThrownBy(() -> Cron.parse("*/0 * * * *")).hasMessage("minute field \"*/0\": 0 is out of range 1-59");
        assertThatThrownBy(() -> Cron.parse("@often"))
                .hasMessage("unknown macro \"@often\"; known: @hourly, @daily, @weekly, @monthly, @yearly");
    }
}
