package dev.opsdeck.oncall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.ManualClock;
import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.config.OnCallConfig.Override;
import dev.opsdeck.config.OnCallConfig.Rotation;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who is on call, across daylight-saving changes, with overrides; the clock is moved by hand. */
class RotationsTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** Weekly from Monday 2026-03-23 09:00 Berlin; clocks go forward on Sunday 2026-03-29. */
    private static Rotation weekly(List<Override> overrides) {
        return new Rotation(
                "primary",
                List.of("alice", "bob", "carol"),
                Duration.ofDays(7),
                LocalTime.of(9, 0),
                BERLIN,
                LocalDate.of(2026, 3, 23),
                overrides);
    }

    @Test
    void aWeeklyHandOffStaysAtNineLocalAcrossTheSpringChange() {
        Rotation r = weekly(List.of());
        Shift first = Rotations.at(r, Instant.parse("2026-03-23T08:00:00Z"));
        assertThat(first.contact()).isEqualTo("alice");
        assertThat(first.from()).isEqualTo(Instant.parse("2026-03-23T08:00:00Z")); // 09:00 CET
        assertThat(first.until()).isEqualTo(Instant.parse("2026-03-30T07:00:00Z")); // 09:00 CEST: a 167-hour turn
        assertThat(Rotations.at(r, Instant.parse("2026-03-30T06:59:59Z")).contact())
                .isEqualTo("alice");
        assertThat(Rotations.at(r, Instant.parse("2026-03-30T07:00:00Z")).contact())
                .isEqualTo("bob");
        assertThat(Rotations.next(r, Instant.parse("2026-03-25T12:00:00Z")).contact())
                .isEqualTo("bob");
        // three weeks on, round to alice again, and back to 08:00Z after the autumn change (2026-10-25)
        assertThat(Rotations.at(r, Instant.parse("2026-04-13T07:00:00Z")).contact())
                .isEqualTo("alice");
        Shift autumn = Rotations.at(r, Instant.parse("2026-10-27T12:00:00Z"));
        assertThat(autumn.from()).isEqualTo(Instant.parse("2026-10-26T08:00:00Z"));
        assertThat(autumn.until()).isEqualTo(Instant.parse("2026-11-02T08:00:00Z"));
    }

    @Test
    void beforeTheStartNobodyIsOnCallAndTheFirstMemberIsNext() {
        Rotation r = weekly(List.of());
        Shift before = Rotations.at(r, Instant.parse("2026-03-23T07:59:00Z"));
        assertThat(before.contact()).isNull();
        assertThat(before.from()).isNull();
        assertThat(before.until()).isEqualTo(Instant.parse("2026-03-23T08:00:00Z"));
        assertThat(Rotations.next(r, Instant.parse("2026-03-01T00:00:00Z")).contact())
                .isEqualTo("alice");
    }

    @Test
    void aDailyHandOffInsideTheSkippedHourMovesToTheHourAfter() {
        Rotation r = new Rotation(
                "db",
                List.of("alice", "bob"),
                Duration.ofDays(1),
                LocalTime.of(2, 30),
                BERLIN,
                LocalDate.of(2026, 3, 27),
                List.of());
        // 2026-03-29 02:30 does not exist in Berlin: the hand-off happens at 03:30 CEST (01:30Z)
        Shift sat = Rotations.at(r, Instant.parse("2026-03-28T12:00:00Z"));
        assertThat(sat.contact()).isEqualTo("bob");
        assertThat(sat.until()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        assertThat(Rotations.at(r, Instant.parse("2026-03-29T01:30:00Z")).contact())
                .isEqualTo("alice");
        assertThat(Rotations.at(r, Instant.parse("2026-03-30T00:29:59Z")).contact())
                .isEqualTo("alice");
        assertThat(Rotations.at(r, Instant.parse("2026-03-30T00:30:00Z")).contact())
                .isEqualTo("bob");
    }

    @Test
    void aTwelveHourRotationCountsElapsedTimeSoItsLocalHandOffMovesWithDaylightSaving() {
        Rotation r = new Rotation(
                "follow",
                List.of("alice", "bob"),
                Duration.ofHours(12),
                LocalTime.of(8, 0),
                BERLIN,
                LocalDate.of(2026, 3, 28),
                List.of());
        assertThat(Rotations.at(r, Instant.parse("2026-03-28T07:00:00Z")).contact())
                .isEqualTo("alice");
        assertThat(Rotations.at(r, Instant.parse("2026-03-28T19:00:00Z")).contact())
                .isEqualTo("bob");
        Shift sunday = Rotations.at(r, Instant.parse("2026-03-29T07:00:00Z"));
        assertThat(sunday.contact()).isEqualTo("alice");
        assertThat(sunday.from().atZone(BERLIN).toLocalTime()).isEqualTo(LocalTime.of(9, 0)); // 12 h of real time
    }

    @Test
    void anOverrideTakesTheShiftAndEndsTheRegularOneEarly() {
        Rotation r = weekly(List.of(new Override(
                LocalDateTime.parse("2026-03-25T18:00"), LocalDateTime.parse("2026-03-26T09:00"), "dave")));
        Shift before = Rotations.at(r, Instant.parse("2026-03-25T12:00:00Z"));
        assertThat(before.contact()).isEqualTo("alice");
        assertThat(before.until()).isEqualTo(Instant.parse("2026-03-25T17:00:00Z")); // 18:00 CET
        Shift next = Rotations.next(r, Instant.parse("2026-03-25T12:00:00Z"));
        assertThat(next.contact()).isEqualTo("dave");
        assertThat(next.override()).isTrue();
        assertThat(next.until()).isEqualTo(Instant.parse("2026-03-26T08:00:00Z"));
        assertThat(Rotations.at(r, Instant.parse("2026-03-26T08:00:00Z")).contact())
                .isEqualTo("alice");
    }

    @Test
    void onCallNowFollowsTheInjectedClock() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-29T12:00:00Z"));
        OnCallConfig config = new OnCallConfig(
                Map.of("alice", contact("alice", "Alice A."), "bob", contact("bob", "Bob B.")),
                Map.of("primary", weekly(List.of())),
                List.of(),
                Map.of());
        OnCall oncall = new OnCall(() -> config, clock);
        assertThat(oncall.now().getFirst().now().contact()).isEqualTo("alice");
        assertThat(OnCall.view(oncall.now().getFirst(), config)).containsEntry("rotation", "primary");
        clock.advance(Duration.ofDays(1));
        assertThat(oncall.now().getFirst().now().contact()).isEqualTo("bob");
        assertThat(OnCall.shift(oncall.now().getFirst().now(), config))
                .containsEntry("name", "Bob B.")
                .containsEntry("from", "2026-03-30T07:00:00Z")
                .containsEntry("until", "2026-04-06T07:00:00Z");
    }

    static OnCallConfig.Contact contact(String key, String name) {
        return new OnCallConfig.Contact(key, name, key + "@example.com", "@" + key, null, List.of("mail"));
    }
}
