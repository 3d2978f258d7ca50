package dev.opsdeck.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsdeck.ManualClock;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.store.OnEachBackend;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Maintenance windows in a real store (SQLite and PostgreSQL), from config and API, with a hand-moved clock. */
abstract class MaintenanceWindowsContract extends OnEachBackend {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Set<String> SERVICES = Set.of("api", "postgres", "redis");

    ManualClock clock;
    OnCallConfig config = OnCallConfig.NONE;
    MaintenanceWindows windows;

    @Override
    protected List<String> reset() {
        return List.of("DELETE FROM maintenance_window", "UPDATE maintenance_sequence SET value = 0");
    }

    @BeforeEach
    void wire() {
        clock = new ManualClock(Instant.parse("2026-03-20T12:00:00Z")); // a Friday
        windows = new MaintenanceWindows(store, () -> config, clock);
    }

    private boolean paged(String service) {
        return !windows.suppressed(service, "ServiceDown", AlertEvent.Severity.P1, Map.of());
    }

    @Test
    void aWeeklyWindowFollowsTheLocalClockAcrossTheSpringChange() {
        config = new OnCallConfig(
                Map.of(),
                Map.of(),
                List.of(),
                Map.of(
                        "vacuum",
                        new OnCallConfig.Maintenance(
                                "vacuum",
                                List.of("postgres"),
                                null,
                                null,
                                Set.of(DayOfWeek.SUNDAY),
                                LocalTime.of(2, 30),
                                Duration.ofHours(1),
                                BERLIN,
                                "vacuum")));
        MaintenanceWindow w = windows.list().getFirst();
        // Sunday 2026-03-22 02:30 CET is 01:30Z
        assertThat(w.nextStart(clock.instant())).isEqualTo(Instant.parse("2026-03-22T01:30:00Z"));
        assertThat(w.activeUntil(Instant.parse("2026-03-22T01:29:59Z"))).isNull();
        assertThat(w.activeUntil(Instant.parse("2026-03-22T01:30:00Z")))
                .isEqualTo(Instant.parse("2026-03-22T02:30:00Z"));
        // 2026-03-29 02:30 does not exist in Berlin: that Sunday's window begins at 03:30 CEST (01:30Z)
        assertThat(w.nextStart(Instant.parse("2026-03-23T00:00:00Z"))).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
        // and from then on at 02:30 CEST, 00:30Z
        assertThat(w.nextStart(Instant.parse("2026-03-30T00:00:00Z"))).isEqualTo(Instant.parse("2026-04-05T00:30:00Z"));
        assertThat(w.state(clock.instant())).isEqualTo(MaintenanceWindow.State.SCHEDULED);

        assertThat(paged("postgres")).isTrue();
        clock.advance(Duration.ofHours(37).plusMinutes(45)); // Sunday 01:45Z, inside
        assertThat(paged("postgres")).isFalse();
        assertThat(windows.reason("postgres", "PostgresDown", AlertEvent.Severity.P1, Map.of()))
                .isEqualTo("held by maintenance window vacuum");
        assertThat(windows.reason("api", "ApiDown", AlertEvent.Severity.P1, Map.of()))
                .isNull();
        assertThat(paged("api")).isTrue(); // another service pages as usual
        clock.advance(Duration.ofMinutes(45)); // 02:30Z: over
        assertThat(paged("postgres")).isTrue();
    }

    @Test
    void aOneOffWindowFromTheApiSuppressesUntilItEndsOrIsEnded() {
        MaintenanceWindow w = windows.create(
                new MaintenanceWindows.Request(
                        List.of("api", "redis"), null, null, Duration.ofHours(2), Set.of(), null, null, "upgrade"),
                SERVICES,
                "alice");
        assertThat(w.id()).isEqualTo(1L);
        assertThat(w.view(clock.instant()))
                .containsEntry("state", "active")
                .containsEntry("creator", "alice")
                .containsEntry("source", "api")
                .containsEntry("active_until", "2026-03-20T14:00:00Z");
        assertThat(paged("api")).isFalse();
        assertThat(paged("redis")).isFalse();
        assertThat(paged("postgres")).isTrue();
        assertThat(windows.reason("redis", "RedisDown", AlertEvent.Severity.P2, Map.of()))
                .isEqualTo("held by maintenance window #1"); // made through the API: no name, its id
        clock.advance(Duration.ofMinutes(30));
        MaintenanceWindow ended = windows.end(1, "bob").orElseThrow();
        assertThat(ended.endedBy()).isEqualTo("bob");
        assertThat(ended.endsMs()).isEqualTo(clock.millis());
        assertThat(paged("api")).isTrue();
        assertThat(windows.end(99, "bob")).isEmpty();
        assertThat(windows.list())
                .singleElement()
                .satisfies(x -> assertThat(x.state(clock.instant())).isEqualTo(MaintenanceWindow.State.ENDED));
    }

    @Test
    void aScheduledWeeklyWindowFromTheApiIsKeptInTheStore() {
        windows.create(
                new MaintenanceWindows.Request(
                        List.of("postgres"),
                        null,
                        Instant.parse("2026-04-30T00:00:00Z"),
                        Duration.ofHours(3),
                        Set.of(DayOfWeek.SATURDAY),
                        LocalTime.of(23, 0),
                        BERLIN,
                        "backups"),
                SERVICES,
                "alice");
        // a new instance (a restart) answers from the store
        MaintenanceWindows again = new MaintenanceWindows(store, () -> config, clock);
        MaintenanceWindow w = again.find(1).orElseThrow();
        assertThat(w.days()).containsExactly(DayOfWeek.SATURDAY);
        assertThat(w.view(clock.instant()))
                .containsEntry("state", "scheduled")
                .containsEntry("at", "23:00")
                .containsEntry("duration", "3h")
                .containsEntry("next_start", "2026-03-21T22:00:00Z");
        clock.advance(Duration.ofHours(34)); // Saturday 23:00 CET, 22:00Z
        assertThat(again.suppressed("postgres", "x", AlertEvent.Severity.P2, Map.of()))
                .isTrue();
        clock.advance(Duration.ofDays(41)); // past ends_at
        assertThat(again.covering("postgres")).isEmpty();
        assertThat(again.find(1).orElseThrow().state(clock.instant())).isEqualTo(MaintenanceWindow.State.ENDED);
    }

    @Test
    void badRequestsAreRefusedWithTheField() {
        assertThatThrownBy(() -> create(List.of(), Duration.ofHours(1), Set.of(), null, "x"))
                .hasMessage("services: at least one is required");
        assertThatThrownBy(() -> create(List.of("db"), Duration.ofHours(1), Set.of(), null, "x"))
                .hasMessage("services: no service named 'db'");
        assertThatThrownBy(() -> create(List.of("api"), Duration.ofHours(1), Set.of(), null, ""))
                .hasMessage("comment: required (say why, e.g. the upgrade)");
        assertThatThrownBy(() -> create(List.of("api"), null, Set.of(), null, "x"))
                .hasMessage("ends_at: give either ends_at or duration");
        assertThatThrownBy(() -> create(List.of("api"), Duration.ofDays(31), Set.of(), null, "x"))
                .hasMessage("duration: a one-off window lasts at most 30d");
        assertThatThrownBy(() -> create(List.of("api"), Duration.ofHours(1), Set.of(), LocalTime.NOON, "x"))
                .hasMessage("at: only for a weekly window (give days too)");
        assertThatThrownBy(() -> create(List.of("api"), Duration.ofHours(1), Set.of(DayOfWeek.MONDAY), null, "x"))
                .hasMessage("at: required for a weekly window (e.g. 02:00)");
        assertThatThrownBy(() -> create(List.of("api"), null, Set.of(DayOfWeek.MONDAY), LocalTime.NOON, "x"))
                .hasMessage("duration: required for a weekly window (e.g. 1h)");
        assertThatThrownBy(
                        () -> create(List.of("api"), Duration.ofDays(8), Set.of(DayOfWeek.MONDAY), LocalTime.NOON, "x"))
                .hasMessage("duration: at most 7d");
        assertThatThrownBy(() -> windows.create(
                        new MaintenanceWindows.Request(
                                List.of("api"),
                                Instant.parse("2026-03-20T10:00:00Z"),
                                Instant.parse("2026-03-20T11:00:00Z"),
                                null,
                                Set.of(),
                                null,
                                null,
                                "x"),
                        SERVICES,
                        "alice"))
                .hasMessage("ends_at: the window would end in the past");
        assertThat(windows.list()).isEmpty();
    }

    private void create(List<String> services, Duration duration, Set<DayOfWeek> days, LocalTime at, String comment) {
        windows.create(
                new MaintenanceWindows.Request(services, null, null, duration, days, at, null, comment),
                SERVICES,
                "alice");
    }
}
