package dev.opsdeck.config;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who gets paged and when: {@code contacts:}, {@code rotations:}, {@code escalation_policies:} (in file order: the
 * first whose {@code match} fits an incident wins, else the one marked {@code default}) and {@code maintenance:}
 * windows. Names that refer to each other (members, step targets, channels, services) are checked at load.
 */
public record OnCallConfig(
        Map<String, Contact> contacts,
        Map<String, Rotation> rotations,
        List<Policy> policies,
        Map<String, Maintenance> maintenance) {
    public static final OnCallConfig NONE = new OnCallConfig(Map.of(), Map.of(), List.of(), Map.of());

    /** A person: {@code channels} (key {@code notify}) names the channels that reach them (an email channel writes to {@code email}). */
    public record Contact(String key, String name, String email, String slack, String phone, List<String> channels) {}

    /**
     * Members take turns of {@code length}; turns change at {@code handoff} local time in {@code zone}, the first on
     * {@code start}. Whole-day lengths follow the calendar (a hand-off stays at 09:00 across a DST change).
     */
    public record Rotation(
            String key,
            List<String> members,
            Duration length,
            LocalTime handoff,
            ZoneId zone,
            LocalDate start,
            List<Override> overrides) {}

    /** {@code contact} is on call instead of the rotation from {@code from} to {@code to}, local times in its zone. */
    public record Override(LocalDateTime from, LocalDateTime to, String contact) {}

    /**
     * Ordered steps, run once and then {@code repeat} more times while nobody acknowledges. Routing: every non-empty
     * match set must contain the incident's value (labels: every pair must be among its alert's labels).
     */
    public record Policy(
            String key,
            Set<String> severities,
            Set<String> services,
            Map<String, String> labels,
            boolean isDefault,
            int repeat,
            List<Step> steps) {
        public boolean matches(String severity, String service, Map<String, String> alertLabels) {
            if (!severities.isEmpty() && !severities.contains(severity)) return false;
            if (!services.isEmpty() && !services.contains(service)) return false;
            for (var e : labels.entrySet()) {
                if (alertLabels == null || !e.getValue().equals(alertLabels.get(e.getKey()))) return false;
            }
            return true;
        }

        /** True when the policy routes by something (a default policy may route nothing else). */
        public boolean hasMatch() {
            return !severities.isEmpty() || !services.isEmpty() || !labels.isEmpty();
        }
    }

    /** Whom one step pages: the current on-call of each rotation, contacts, channels; then {@code wait}, the time before the next step. */
    public record Step(List<String> rotations, List<String> contacts, List<String> channels, Duration waitFor) {}

    /**
     * A maintenance window from configuration: one-off ({@code start} to {@code end}) or weekly on {@code days}
     * at {@code at} for {@code duration}, local time in {@code zone}.
     */
    public record Maintenance(
            String key,
            List<String> services,
            Instant start,
            Instant end,
            Set<DayOfWeek> days,
            LocalTime at,
            Duration duration,
            ZoneId zone,
            String comment) {}

    /** The policy for an incident: the first matching one in file order, else the default, else none. */
    public Optional<Policy> route(String severity, String service, Map<String, String> labels) {
        for (Policy p : policies) if (p.hasMatch() && p.matches(severity, service, labels)) return Optional.of(p);
        return policies.stream().filter(Policy::isDefault).findFirst();
    }

    static OnCallConfig read(
            KeyedSections sections, List<ServiceDef> services, Set<String> channels, Problems problems) {
        return new OnCallReader(sections, services, channels, problems).read();
    }
}
