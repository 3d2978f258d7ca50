package dev.opsdeck.config;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

/**
 * A service's {@code deploy:} section: the runbook that carries a deploy out (given the version as parameter
 * {@code version}), the gate that must pass after it, the bake that must stay healthy, what happens on a failure,
 * who approves and when deploys are frozen. Read by {@link DeployReader}.
 */
public record DeployDef(
        String service,
        String runbook,
        String environment,
        Gate gate,
        Bake bake,
        boolean autoRollback,
        Approval approval,
        Freeze freeze,
        List<String> channels,
        Position position) {

    /** The parameter the runbook gets the version in; the previous one goes in {@link #PREVIOUS_PARAM} if declared. */
    public static final String VERSION_PARAM = "version", PREVIOUS_PARAM = "previous_version";

    /**
     * After the runbook: wait {@code delay}, then probe every {@code checks} entry each {@code interval} until all
     * pass in one round, for at most {@code timeout}.
     */
    public record Gate(Duration delay, Duration timeout, Duration interval, List<Probe> checks) {}

    /**
     * A check of the service, with {@code conditions} added to its own ({@code {{version}}} in them is the version
     * being deployed). In the bake, the probe fails the deploy when {@code failures} of the last {@code samples}
     * fail (N of M); in the gate both are 1.
     */
    public record Probe(String check, List<YamlNode> conditions, int samples, int failures, Position position) {
        public String checkId(String service) {
            return service + "/" + check;
        }
    }

    /** For {@code duration} after the gate: sample each probe every {@code interval}; the service's alerts quiet. */
    public record Bake(Duration duration, Duration interval, boolean alertsQuiet, List<Probe> analysis) {
        public static final Bake NONE = new Bake(Duration.ZERO, Duration.ofSeconds(30), true, List.of());
    }

    /** Null role: no approval. {@code fourEyes}: the one who asked cannot approve. */
    public record Approval(String role, boolean fourEyes) {}

    /** No deploy in these windows, nor (when {@code incidents}) while a P1 or P2 incident is open on the service. */
    public record Freeze(boolean incidents, List<Window> windows) {}

    /**
     * One freeze window: one-off ({@code from} to {@code until}), or weekly on {@code days} at {@code at} for
     * {@code length} in {@code zone}.
     */
    public record Window(
            String name, Instant from, Instant until, Set<DayOfWeek> days, LocalTime at, Duration length, ZoneId zone) {
        /** Whether the window is in force at {@code t}. */
        public boolean covers(Instant t) {
            if (days.isEmpty()) return !t.isBefore(from) && t.isBefore(until);
            LocalDate today = t.atZone(zone).toLocalDate();
            for (int back = 0; back <= 7 + length.toDays(); back++) {
                LocalDate d = today.minusDays(back);
                if (!days.contains(d.getDayOfWeek())) continue;
                Instant start = ZonedDateTime.of(d, at, zone).toInstant();
                if (!t.isBefore(start) && t.isBefore(start.plus(length))) return true;
            }
            return false;
        }
    }
}
