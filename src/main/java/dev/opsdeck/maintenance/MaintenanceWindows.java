package dev.opsdeck.maintenance;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.alert.Suppression;
import dev.opsdeck.config.Json;
import dev.opsdeck.config.OnCallConfig;
import dev.opsdeck.store.Store;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Maintenance windows from the configuration and from the API, and the {@link Suppression} the alert engine asks
 * when an alert fires: an alert of a service under maintenance is recorded and joins its incident without paging.
 * Stored windows are answered from an in-memory copy of those not ended, refreshed after every change here
 * (the engine asks under its own lock); configured ones are read from the current configuration at each question.
 */
public final class MaintenanceWindows implements Suppression {
    public static final Duration MAX_ONE_OFF = Duration.ofDays(30);
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String COLUMNS = "id, services, starts_ms, ends_ms, days, at_minute, duration_ms, time_zone,"
            + " creator, comment, created_ms, ended_by";

    private final Store store;
    private final Supplier<OnCallConfig> config;
    private final Clock clock;
    private volatile List<MaintenanceWindow> unended = List.of();
    private volatile Runnable onEnded = () -> {};

    public MaintenanceWindows(Store store, Supplier<OnCallConfig> config, Clock clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        refresh();
    }

    /** What a new window is: one-off when {@code days} is empty, weekly otherwise. */
    public record Request(
            List<String> services,
            Instant startsAt,
            Instant endsAt,
            Duration duration,
            Set<DayOfWeek> days,
            LocalTime at,
            ZoneId zone,
            String comment) {}

    /**
     * Makes a window. One-off: {@code startsAt} (default now), and {@code endsAt} or {@code duration}, at most
     * {@link #MAX_ONE_OFF} long. Weekly: {@code days}, {@code at}, {@code duration} (at most 7d), from {@code startsAt}
     * (default now) until {@code endsAt} (default: until ended).
     */
    public MaintenanceWindow create(Request r, Set<String> knownServices, String creator) {
        long now = clock.millis();
        if (r.services() == null || r.services().isEmpty())
            throw new InvalidWindow("services: at least one is required");
        for (String s : r.services()) {
            if (!knownServices.contains(s)) throw new InvalidWindow("services: no service named '" + s + "'");
        }
        if (r.comment() == null || r.comment().isBlank())
            throw new InvalidWindow("comment: required (say why, e.g. the upgrade)");
        if (r.comment().length() > 2000) throw new InvalidWindow("comment: longer than 2000 characters");
        ZoneId zone = r.zone() == null ? ZoneId.of("UTC") : r.zone();
        long starts = r.startsAt() == null ? now : r.startsAt().toEpochMilli();
        boolean weekly = r.days() != null && !r.days().isEmpty();
        Long ends;
        if (weekly) {
            if (r.at() == null) throw new InvalidWindow("at: required for a weekly window (e.g. 02:00)");
            if (r.duration() == null) throw new InvalidWindow("duration: required for a weekly window (e.g. 1h)");
            if (r.duration().compareTo(Duration.ofDays(7)) > 0) throw new InvalidWindow("duration: at most 7d");
            ends = r.endsAt() == null ? null : r.endsAt().toEpochMilli();
            if (ends != null && ends <= Math.max(starts, now))
                throw new InvalidWindow("ends_at: must be in the future and after starts_at");
        } else {
            if (r.at() != null) throw new InvalidWindow("at: only for a weekly window (give days too)");
            if ((r.endsAt() == null) == (r.duration() == null))
                throw new InvalidWindow("ends_at: give either ends_at or duration");
            ends = r.endsAt() != null
                    ? r.endsAt().toEpochMilli()
                    : starts + r.duration().toMillis();
            String field = r.endsAt() != null ? "ends_at" : "duration";
            if (ends <= starts) throw new InvalidWindow(field + ": the window must end after it starts");
            if (ends <= now) throw new InvalidWindow(field + ": the window would end in the past");
            if (ends - starts > MAX_ONE_OFF.toMillis())
                throw new InvalidWindow(field + ": a one-off window lasts at most 30d");
        }
        Long endsMs = ends;
        MaintenanceWindow w = store.inTransaction("maintenance", c -> {
            long id = nextId(c);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO maintenance_window (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)")) {
                ps.setLong(1, id);
                ps.setString(2, json(r.services()));
                ps.setLong(3, starts);
                ps.setObject(4, endsMs);
                ps.setString(
                        5,
                        weekly
                                ? json(r.days().stream()
                                        .sorted()
                                        .map(DayOfWeek::name)
                                        .toList())
                                : null);
                ps.setObject(6, weekly ? r.at().getHour() * 60 + r.at().getMinute() : null);
                ps.setObject(7, weekly ? r.duration().toMillis() : null);
                ps.setString(8, zone.getId());
                ps.setString(9, creator);
                ps.setString(10, r.comment());
                ps.setLong(11, now);
                ps.executeUpdate();
            }
            return find(c, id).orElseThrow();
        });
        refresh();
        return w;
    }

    /**
     * Runs after a window is ended or changed by hand (a change can take services out or end it sooner), so that
     * the alerts it held that still fire page at once (the alert engine's {@code releaseEnded}; windows that end on
     * time are seen by its beat).
     */
    public void onEnded(Runnable r) {
        onEnded = r;
    }

    /** Ends a stored window now, keeping its record; empty when there is no such window. */
    public Optional<MaintenanceWindow> end(long id, String actor) {
        long now = clock.millis();
        Optional<MaintenanceWindow> out = store.inTransaction("maintenance", c -> {
            Optional<MaintenanceWindow> w = find(c, id);
            if (w.isEmpty() || w.get().state(Instant.ofEpochMilli(now)) == MaintenanceWindow.State.ENDED) return w;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE maintenance_window SET ends_ms = ?, starts_ms = ?, ended_by = ? WHERE id = ?")) {
                ps.setLong(1, now);
                ps.setLong(2, Math.min(now, w.get().startsMs()));
                ps.setString(3, actor);
                ps.setLong(4, id);
                ps.executeUpdate();
            }
            return find(c, id);
        });
        refresh();
        onEnded.run();
        return out;
    }

    /**
     * Changes a stored window that has not ended: its services, its end (one-off: still at most
     * {@link #MAX_ONE_OFF} after its start; weekly: when it stops repeating) and its comment; null leaves a field as
     * it is. Empty when there is no such window.
     */
    public Optional<MaintenanceWindow> update(
            long id, List<String> services, Instant endsAt, String comment, Set<String> knownServices) {
        long now = clock.millis();
        Optional<MaintenanceWindow> out = store.inTransaction("maintenance", c -> {
            Optional<MaintenanceWindow> found = find(c, id);
            if (found.isEmpty()) return found;
            MaintenanceWindow w = found.get();
            if (w.state(Instant.ofEpochMilli(now)) == MaintenanceWindow.State.ENDED) {
                throw new InvalidWindow("id: window " + id + " has ended; make a new one");
            }
            if (services != null) {
                if (services.isEmpty()) throw new InvalidWindow("services: at least one is required");
                for (String sv : services) {
                    if (!knownServices.contains(sv)) throw new InvalidWindow("services: no service named '" + sv + "'");
                }
            }
            if (comment != null && comment.isBlank())
                throw new InvalidWindow("comment: required (say why, e.g. the upgrade)");
            if (comment != null && comment.length() > 2000)
                throw new InvalidWindow("comment: longer than 2000 characters");
            if (endsAt != null) {
                long ends = endsAt.toEpochMilli();
                if (ends <= now || ends <= w.startsMs())
                    throw new InvalidWindow("ends_at: must be in the future and after starts_at");
                if (!w.weekly() && ends - w.startsMs() > MAX_ONE_OFF.toMillis()) {
                    throw new InvalidWindow("ends_at: a one-off window lasts at most 30d");
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE maintenance_window SET services = ?, ends_ms = ?, comment = ?" + " WHERE id = ?")) {
                ps.setString(1, json(services != null ? services : w.services()));
                ps.setObject(2, endsAt != null ? (Long) endsAt.toEpochMilli() : w.endsMs());
                ps.setString(3, comment != null ? comment : w.comment());
                ps.setLong(4, id);
                ps.executeUpdate();
            }
            return find(c, id);
        });
        refresh();
        onEnded.run();
        return out;
    }

    /** Configured windows first (by name), then stored ones, newest first. */
    public List<MaintenanceWindow> list() {
        List<MaintenanceWindow> out = new ArrayList<>(configured());
        out.addAll(store.read(
                "maintenance", c -> query(c, "SELECT " + COLUMNS + " FROM maintenance_window ORDER BY id DESC")));
        return out;
    }

    public Optional<MaintenanceWindow> find(long id) {
        return store.read("maintenance", c -> find(c, id));
    }

    /** The first window in force now for {@code service}. */
    public Optional<MaintenanceWindow> covering(String service) {
        Instant now = clock.instant();
        for (MaintenanceWindow w : configured())
            if (w.covers(service) && w.activeUntil(now) != null) return Optional.of(w);
        for (MaintenanceWindow w : unended) if (w.covers(service) && w.activeUntil(now) != null) return Optional.of(w);
        return Optional.empty();
    }

    /**
     * "held by maintenance window NAME" (a window from the configuration, by its key) or "held by maintenance
     * window #ID" (one made through the API) for the first window in force covering the alert's service; else null.
     */
    @Override
    public String reason(String service, String name, AlertEvent.Severity severity, Map<String, String> labels) {
        return service == null
                ? null
                : covering(service)
                        .map(w -> "held by maintenance window " + (w.name() != null ? w.name() : "#" + w.id()))
                        .orElse(null);
    }

    private List<MaintenanceWindow> configured() {
        List<MaintenanceWindow> out = new ArrayList<>();
        for (OnCallConfig.Maintenance m : config.get().maintenance().values()) {
            boolean weekly = !m.days().isEmpty();
            out.add(new MaintenanceWindow(
                    null,
                    m.key(),
                    m.services(),
                    weekly ? 0 : m.start().toEpochMilli(),
                    weekly ? null : m.end().toEpochMilli(),
                    m.days(),
                    m.at(),
                    m.duration(),
                    m.zone(),
                    "configuration",
                    m.comment(),
                    0,
                    null));
        }
        out.sort(Comparator.comparing(MaintenanceWindow::name));
        return out;
    }

    private void refresh() {
        long now = clock.millis();
        unended = store.read(
                "maintenance",
                c -> query(
                        c,
                        "SELECT " + COLUMNS + " FROM maintenance_window WHERE ends_ms IS NULL" + " OR ends_ms > " + now
                                + " ORDER BY id"));
    }

    private static long nextId(Connection c) throws SQLException {
        return dev.opsdeck.store.Counters.next(c, "maintenance_sequence", "maintenance");
    }

    private static Optional<MaintenanceWindow> find(Connection c, long id) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM maintenance_window WHERE id = " + id).stream()
                .findFirst();
    }

    private static List<MaintenanceWindow> query(Connection c, String sql) throws SQLException {
        List<MaintenanceWindow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long ends = rs.getLong("ends_ms");
                Long endsMs = rs.wasNull() ? null : ends;
                String days = rs.getString("days");
                int minute = rs.getInt("at_minute");
                LocalTime at = rs.wasNull() ? null : LocalTime.of(minute / 60, minute % 60);
                long dur = rs.getLong("duration_ms");
                Duration duration = rs.wasNull() ? null : Duration.ofMillis(dur);
                Set<DayOfWeek> daySet = days == null
                        ? Set.of()
                        : Set.copyOf(
                                strings(days).stream().map(DayOfWeek::valueOf).toList());
                out.add(new MaintenanceWindow(
                        rs.getLong("id"),
                        null,
                        strings(rs.getString("services")),
                        rs.getLong("starts_ms"),
                        endsMs,
                        daySet,
                        at,
                        duration,
                        ZoneId.of(rs.getString("time_zone")),
                        rs.getString("creator"),
                        rs.getString("comment"),
                        rs.getLong("created_ms"),
                        rs.getString("ended_by")));
            }
        }
        return out;
    }

    private static String json(List<String> values) {
        return Json.write(values);
    }

    private static List<String> strings(String json) {
        try {
            return Json.MAPPER.readValue(json, STRINGS);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable maintenance column: " + e.getMessage(), e);
        }
    }
}
