package dev.opsdeck.maintenance;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One maintenance window: one-off (from {@code startsMs} to {@code endsMs}), or weekly on {@code days} at {@code at}
 * for {@code duration}, local time in {@code zone}, from {@code startsMs} on and until {@code endsMs} when set.
 * {@code id} is null for a window from the configuration ({@code name} is its key there); those are changed in
 * the file, not through the API.
 */
public record MaintenanceWindow(
        Long id,
        String name,
        List<String> services,
        long startsMs,
        Long endsMs,
        Set<DayOfWeek> days,
        LocalTime at,
        Duration duration,
        ZoneId zone,
        String creator,
        String comment,
        long createdMs,
        String endedBy) {
    public enum State {
        SCHEDULED,
        ACTIVE,
        ENDED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public boolean weekly() {
        return !days.isEmpty();
    }

    public boolean covers(String service) {
        return services.contains(service);
    }

    /** When the occurrence in force at {@code t} ends; null when the window is not in force then. */
    public Instant activeUntil(Instant t) {
        long ms = t.toEpochMilli();
        if (ms < startsMs || endsMs != null && ms >= endsMs) return null;
        if (!weekly()) return Instant.ofEpochMilli(endsMs);
        LocalDate today = t.atZone(zone).toLocalDate();
        for (int back = 0; back <= 7; back++) {
            LocalDate d = today.minusDays(back);
            if (!days.contains(d.getDayOfWeek())) continue;
            Instant start = ZonedDateTime.of(d, at, zone).toInstant(), end = start.plus(duration);
            if (!t.isBefore(start) && t.isBefore(end)) {
                return endsMs != null && end.toEpochMilli() > endsMs ? Instant.ofEpochMilli(endsMs) : end;
            }
        }
        return null;
    }

    /** The next start after {@code t}; null when the window will not be in force again. */
    public Instant nextStart(Instant t) {
        if (endsMs != null && t.toEpochMilli() >= endsMs) return null;
        if (!weekly()) return t.toEpochMilli() < startsMs ? Instant.ofEpochMilli(startsMs) : null;
        Instant from = t.toEpochMilli() < startsMs ? Instant.ofEpochMilli(startsMs) : t;
        LocalDate day = from.atZone(zone).toLocalDate();
        for (int ahead = 0; ahead <= 8; ahead++) {
            LocalDate d = day.plusDays(ahead);
            if (!days.contains(d.getDayOfWeek())) continue;
            Instant start = ZonedDateTime.of(d, at, zone).toInstant();
            if (start.isAfter(t) && start.toEpochMilli() >= startsMs) {
                return endsMs != null && start.toEpochMilli() >= endsMs ? null : start;
            }
        }
        return null;
    }

    public State state(Instant t) {
        if (activeUntil(t) != null) return State.ACTIVE;
        return nextStart(t) != null ? State.SCHEDULED : State.ENDED;
    }

    public Map<String, Object> view(Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("source", id == null ? "config" : "api");
        m.put("state", state(now).label());
        m.put("services", services);
        m.put("starts_at", Instant.ofEpochMilli(startsMs).toString());
        m.put("ends_at", endsMs == null ? null : Instant.ofEpochMilli(endsMs).toString());
        if (weekly()) {
            m.put(
                    "days",
                    days.stream()
                            .sorted()
                            .map(d -> d.name().toLowerCase(Locale.ROOT))
                            .toList());
            m.put("at", at.toString());
            m.put("duration", duration.toString().substring(2).toLowerCase(Locale.ROOT));
        }
        m.put("time_zone", zone.getId());
        Instant until = activeUntil(now), next = nextStart(now);
        m.put("active_until", until == null ? null : until.toString());
        m.put("next_start", next == null ? null : next.toString());
        m.put("creator", creator);
        m.put("comment", comment);
        m.put("created_at", id == null ? null : Instant.ofEpochMilli(createdMs).toString());
        m.put("ended_by", endedBy);
        return m;
    }
}
